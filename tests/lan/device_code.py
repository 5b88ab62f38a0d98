#!/usr/bin/env python3
"""Prints a fresh pairing code as a device would have printed on its label:
12 digits, DDDD-DDDD-DDDD, the last a Verhoeff check digit over the first 11
(docs/enrollment-protocol.md). The LAN tests need a device-made code; the CA
only ever makes its own. A random secret of 9 digits is trivial (8 steps of
0/+1/-1 in a row) with negligible probability; we still re-draw if so."""
import secrets

D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
     [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
     [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
     [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
     [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
     [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
     [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
     [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def check_digit(digits):
    c = 0
    for i, d in enumerate(reversed(digits)):
        c = D[c][P[(i + 1) % 8][int(d)]]
    return str(INV[c])


def trivial(secret):
    for step in (0, 1, 9):
        run = 1
        for a, b in zip(secret, secret[1:]):
            run = run + 1 if (int(a) + step) % 10 == int(b) else 1
            if run >= 8:
                return True
    return False


while True:
    body = "".join(str(secrets.randbelow(10)) for _ in range(11))
    if not trivial(body[2:]):
        break
code = body + check_digit(body)
print(f"{code[0:4]}-{code[4:8]}-{code[8:12]}")
