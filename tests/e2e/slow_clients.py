#!/usr/bin/env python3
"""Slow clients for the e2e tests of homecad's connection limits (issue 11,
defect 4): hold up to N connections from one source address, each sending one
byte every INTERVAL seconds and never finishing its TLS handshake (--mode tls)
or its request headers (--mode http). Closed connections are reopened on the
next tick, so the pressure stays on. Prints a status line every second:
"open=<now> max_open=<most so far> opened=<total> closed_by_server=<count>
longest=<seconds the longest-lived closed connection lasted>".

With --once, opens the connections once and exits 0 when the server has
closed them all (printing "all closed after <s>"), or 1 after --max-seconds.
"""
import argparse
import select
import socket
import sys
import time

TLS_PREFIX = bytes([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x3F, 0xFC, 0x03, 0x03])
HTTP_PREFIX = b"GET /healthz HTTP/1.1\r\nHost: homeca\r\nX-Slow: "


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--source", default="127.0.0.2")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--interval", type=float, default=4.0)
    ap.add_argument("--mode", choices=["tls", "http"], default="tls")
    ap.add_argument("--once", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=60.0)
    args = ap.parse_args()
    payload = TLS_PREFIX if args.mode == "tls" else HTTP_PREFIX

    slots = [None] * args.connections  # (socket, opened_at, next_send, offset)
    stats = {"opened": 0, "closed": 0, "max_open": 0, "longest": 0.0}
    start = time.monotonic()
    ever_opened = False

    def open_slot(i, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((args.source, 0))
            s.settimeout(2)
            s.connect((args.host, args.port))
            s.setblocking(False)
        except OSError:
            s.close()
            return
        slots[i] = [s, now, now, 0]
        stats["opened"] += 1

    def close_slot(i, now):
        s, opened_at, _, _ = slots[i]
        s.close()
        slots[i] = None
        stats["closed"] += 1
        stats["longest"] = max(stats["longest"], now - opened_at)

    last_report = 0.0
    while True:
        now = time.monotonic()
        if not args.once or not ever_opened:
            for i in range(len(slots)):
                if slots[i] is None:
                    open_slot(i, now)
            ever_opened = True
        live = [i for i in range(len(slots)) if slots[i] is not None]
        stats["max_open"] = max(stats["max_open"], len(live))
        # A readable socket here is one the server closed (or answered).
        readable, _, _ = select.select([slots[i][0] for i in live], [], [], 0.5) if live else ([], [], [])
        for i in live:
            s = slots[i][0]
            if s in readable:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    close_slot(i, time.monotonic())
                    continue
            slot = slots[i]
            if slot is not None and time.monotonic() >= slot[2]:
                byte = payload[slot[3]:slot[3] + 1] or b"a"
                try:
                    s.send(byte)
                    slot[3] += 1
                except OSError:
                    close_slot(i, time.monotonic())
                    continue
                slot[2] = time.monotonic() + args.interval
        now = time.monotonic()
        if now - last_report >= 1.0:
            last_report = now
            open_now = sum(1 for x in slots if x is not None)
            print(f"open={open_now} max_open={stats['max_open']} opened={stats['opened']} "
                  f"closed_by_server={stats['closed']} longest={stats['longest']:.1f}", flush=True)
        if args.once:
            if all(x is None for x in slots):
                print(f"all closed after {now - start:.1f}", flush=True)
                return 0
            if now - start > args.max_seconds:
                print(f"still open after {now - start:.1f}", flush=True)
                return 1
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
