#!/usr/bin/env python3
"""tv-client.py ADDR PORT — TeamViewer-like client traffic for the firewall lab.

No TeamViewer client runs in the lab, so this sends what nDPI (protocols/teamviewer.c) keys on:
four TCP segments from the client that start 0x17 0x24, each waiting for the server's answer
so that every one is its own segment. Exit 0 when all four were answered, 1 otherwise.
"""
import socket
import sys

try:
    c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=4)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(4):
        c.sendall(b"\x17\x24" + bytes([0x0a, 0, 0, 0, i]) + bytes(25))
        if not c.recv(2048):
            sys.exit(1)
    c.close()
except OSError:
    sys.exit(1)
