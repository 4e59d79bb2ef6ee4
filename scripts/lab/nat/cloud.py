#!/usr/bin/env python3
"""cloud.py — the provider side of the NAT lab (issue 5): one UDP socket on the registrar's
address that answers REGISTER (RFC 3261 §10.3) with 200 OK whose top Via carries received= and
rport= (RFC 3581), sends RFC 5626 §3.5.1 CRLFCRLF keep-alives to the phone's public binding (the
source address of its last REGISTER) every --ka seconds, and can call the phone in: an INVITE
retransmitted on Timer A (RFC 3261 §17.1.1.2) until any response or Timer B.

usage: cloud.py --bind 203.0.113.10:5060 --ka 2 [--ka-offset 1] [--invite-at 8]
                [--duration 30] [--log FILE]
Times are seconds after the first REGISTER. Runs until --duration after it, or a signal.
"""
import argparse
import random
import re
import select
import socket
import time


def header(msg, name, short=None):
    for line in msg.split("\r\n")[1:]:
        if not line:
            break
        k, _, v = line.partition(":")
        k = k.strip().lower()
        if k == name.lower() or (short and k == short):
            return v.strip()
    return None


def ok_for_register(req, src):
    """200 OK for REGISTER req from src: Via echoed with received/rport (RFC 3581 §4)."""
    via = header(req, "Via", "v")
    via = re.sub(r";\s*rport(=\d*)?", "", via)
    via = re.sub(r";\s*received=[^;]*", "", via)
    via += ";received=%s;rport=%d" % src
    to = header(req, "To", "t")
    if ";tag=" not in to:
        to += ";tag=reg%04x" % random.randrange(0x10000)
    contact = header(req, "Contact", "m") or ""
    expires = header(req, "Expires") or "60"
    lines = [
        "SIP/2.0 200 OK",
        "Via: " + via,
        "From: " + header(req, "From", "f"),
        "To: " + to,
        "Call-ID: " + header(req, "Call-ID", "i"),
        "CSeq: " + header(req, "CSeq"),
        "Contact: %s;expires=%s" % (contact, expires),
        "Server: voipdiag-lab-cloud",
        "Content-Length: 0",
        "",
        "",
    ]
    return "\r\n".join(lines).encode()


def invite(me, to, n):
    """An initial INVITE from the cloud (a caller behind the provider) to binding `to`."""
    sdp = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
           "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n") % (me[0], me[0])
    lines = [
        "INVITE sip:100@%s:%d SIP/2.0" % to,
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKlabinv%d" % (me[0], me[1], n),
        "Max-Forwards: 70",
        "From: <sip:200@%s>;tag=cloud%d" % (me[0], n),
        "To: <sip:100@%s>" % me[0],
        "Call-ID: labinvite%d@%s" % (n, me[0]),
        "CSeq: 1 INVITE",
        "Contact: <sip:200@%s:%d>" % me,
        "Content-Type: application/sdp",
        "Content-Length: %d" % len(sdp),
        "",
        sdp,
    ]
    return "\r\n".join(lines).encode()


def ack_for(resp, me, n):
    """ACK for a non-2xx final response to our INVITE n (RFC 3261 §17.1.1.3)."""
    lines = [
        "ACK sip:100@%s:%d SIP/2.0" % n[1],
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKlabinv%d" % (me[0], me[1], n[0]),
        "Max-Forwards: 70",
        "From: <sip:200@%s>;tag=cloud%d" % (me[0], n[0]),
        "To: " + header(resp, "To", "t"),
        "Call-ID: labinvite%d@%s" % (n[0], me[0]),
        "CSeq: 1 ACK",
        "Content-Length: 0",
        "",
        "",
    ]
    return "\r\n".join(lines).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", default="203.0.113.10:5060")
    ap.add_argument("--ka", type=float, default=30.0)
    ap.add_argument("--ka-offset", type=float, default=1.0)
    ap.add_argument("--invite-at", type=float, default=-1)
    ap.add_argument("--duration", type=float, default=1e9)
    ap.add_argument("--log")
    a = ap.parse_args()
    host, port = a.bind.rsplit(":", 1)
    me = (host, int(port))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(me)
    log = open(a.log, "a", buffering=1) if a.log else None

    def note(fmt, *args):
        if log:
            log.write("%.3f " % (time.monotonic() - (t0 or time.monotonic())) + fmt % args + "\n")

    t0 = None          # first REGISTER
    binding = None     # phone's public address
    next_ka = None
    inv = None         # [n, target, sends, next_send, interval, done]
    inv_n = 0
    while True:
        now = time.monotonic()
        if t0 is not None and now - t0 >= a.duration:
            break
        due = [x for x in (next_ka, inv and not inv[5] and inv[3]) if x]
        wait = max(0.0, min(due) - now) if due else 0.5
        r, _, _ = select.select([s], [], [], min(wait, 0.5))
        now = time.monotonic()
        if r:
            data, src = s.recvfrom(65535)
            msg = data.decode("latin-1", "replace")
            if msg.startswith("REGISTER "):
                if t0 is None:
                    t0 = now
                    next_ka = t0 + a.ka_offset
                if binding != src:
                    note("binding %s:%d", *src)
                binding = src
                s.sendto(ok_for_register(msg, src), src)
            elif msg.startswith("SIP/2.0 ") and inv and "INVITE" in (header(msg, "CSeq") or ""):
                code = int(msg[8:11])
                inv[5] = True
                note("INVITE answered %d", code)
                if code >= 300:
                    s.sendto(ack_for(msg, me, (inv[0], inv[1])), inv[1])
        if binding and next_ka and now >= next_ka:
            s.sendto(b"\r\n\r\n", binding)
            note("keep-alive to %s:%d", *binding)
            next_ka += a.ka
        if t0 is not None and a.invite_at >= 0 and inv is None and now - t0 >= a.invite_at:
            inv_n += 1
            inv = [inv_n, binding, 0, now, 0.5, False]
        if inv and not inv[5] and now >= inv[3]:
            if inv[2] >= 7 or now - t0 >= a.duration - 0.2:  # Timer B (scaled: 7 sends)
                inv[5] = True
            else:
                s.sendto(invite(me, inv[1], inv[0]), inv[1])
                note("INVITE send %d to %s:%d", inv[2] + 1, *inv[1])
                inv[2] += 1
                inv[3] = now + inv[4]
                inv[4] = min(inv[4] * 2, 4.0)


if __name__ == "__main__":
    main()
