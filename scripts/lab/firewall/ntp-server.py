#!/usr/bin/env python3
"""ntp-server.py ADDR — a minimal NTPv4 server (RFC 5905 §7.3) for the firewall lab: answers
each client request with a stratum-2 server packet carrying the current time."""
import socket
import struct
import sys
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 123))
while True:
    d, a = s.recvfrom(512)
    if len(d) < 48:
        continue
    now = int(time.time()) + 2208988800
    r = bytes([0x24, 2, d[2], 0xE9]) + bytes(8) + b"LAB\0" + struct.pack("!II", now, 0)
    r += d[40:48] + struct.pack("!IIII", now, 0, now, 0)
    s.sendto(r, a)
