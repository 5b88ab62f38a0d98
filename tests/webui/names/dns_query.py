#!/usr/bin/env python3
"""A tiny DNS client for the resolver tests: one UDP query, no caching, no
system resolver in between (dig is not needed).

  dns_query.py SERVER NAME TYPE
      prints "RCODE [answer...]", e.g. "NOERROR 192.168.77.20" or "NXDOMAIN";
      TYPE is A, AAAA or PTR (NAME is then an address).
  dns_query.py until SERVER NAME TYPE EXPECTED TIMEOUT -- COMMAND...
      runs COMMAND, then queries every 5 ms until the answer is exactly
      EXPECTED (one record); prints the milliseconds from just before COMMAND
      started to the first such answer, and how many of them COMMAND itself
      took. Exits 1 on timeout.
"""
import ipaddress
import random
import socket
import struct
import subprocess
import sys
import time

TYPES = {"A": 1, "AAAA": 28, "PTR": 12}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def read_name(packet, offset):
    labels = []
    end = None
    for _ in range(128):
        length = packet[offset]
        if length & 0xC0 == 0xC0:
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | packet[offset + 1]
            continue
        offset += 1
        if length == 0:
            break
        labels.append(packet[offset:offset + length].decode("ascii"))
        offset += length
    return ".".join(labels), (end if end is not None else offset)


def query(server, name, qtype):
    if qtype == "PTR":
        name = ipaddress.ip_address(name).reverse_pointer
    ident = random.randrange(65536)
    packet = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)
    packet += encode_name(name) + struct.pack(">HH", TYPES[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1)
        sock.sendto(packet, (server, 53))
        while True:
            reply, _ = sock.recvfrom(4096)
            if struct.unpack(">H", reply[:2])[0] == ident:
                break
    flags, qdcount, ancount = struct.unpack(">HHH", reply[2:8])
    offset = 12
    for _ in range(qdcount):
        _, offset = read_name(reply, offset)
        offset += 4
    answers = []
    for _ in range(ancount):
        _, offset = read_name(reply, offset)
        rtype, _, _, rdlength = struct.unpack(">HHIH", reply[offset:offset + 10])
        offset += 10
        rdata = reply[offset:offset + rdlength]
        if rtype == 1:
            answers.append(socket.inet_ntop(socket.AF_INET, rdata))
        elif rtype == 28:
            answers.append(socket.inet_ntop(socket.AF_INET6, rdata))
        elif rtype == 12:
            answers.append(read_name(reply, offset)[0])
        offset += rdlength
    return RCODES.get(flags & 0xF, str(flags & 0xF)), sorted(answers)


def main(args):
    if len(args) == 3:
        rcode, answers = query(args[0], args[1], args[2])
        print(" ".join([rcode] + answers))
        return 0
    if len(args) > 7 and args[0] == "until" and args[6] == "--":
        server, name, qtype, expected, timeout = args[1:6]
        start = time.monotonic()
        subprocess.run(args[7:], check=True, stdout=subprocess.DEVNULL)
        command_ms = (time.monotonic() - start) * 1000
        deadline = start + float(timeout)
        rcode, answers = "no answer", []
        while time.monotonic() < deadline:
            try:
                rcode, answers = query(server, name, qtype)
            except OSError:  # a resolver in the middle of a reload
                continue
            if rcode == "NOERROR" and answers == [expected]:
                print(f"{(time.monotonic() - start) * 1000:.0f} {command_ms:.0f}")
                return 0
            time.sleep(0.005)
        print(f"timed out: last answer {rcode} {answers}", file=sys.stderr)
        return 1
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
