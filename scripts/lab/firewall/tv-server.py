#!/usr/bin/env python3
"""tv-server.py ADDR PORT — a TeamViewer-shaped responder for the firewall lab.

Answers every segment a client sends with one segment framed like TeamViewer's keep-alive
answers (0x11 0x30 ...): enough for nDPI to see a TeamViewer conversation on any port.
Serves connections one after the other until killed.
"""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(4)
while True:
    c, _ = s.accept()
    c.settimeout(5)
    try:
        while True:
            d = c.recv(2048)
            if not d:
                break
            c.sendall(b"\x11\x30" + bytes([0x36, 0, 0, 0]) + bytes(18))
    except OSError:
        pass
    c.close()
