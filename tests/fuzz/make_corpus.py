#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) from
real artefacts: a throwaway CA made by the real `homeca` (init, issue,
backup, export-root), CSRs and EC points made by the real `openssl`, and
the message shapes of docs/enrollment-protocol.md and docs/api.md filled
with those real values, and ACME requests (docs/acme.md) signed with
account keys made by `openssl`. The layout of each target's input is described at
the top of its .cpp.

Usage: tests/fuzz/make_corpus.py BUILD_DIR   (BUILD_DIR holds ca/homeca)
Re-running replaces the corpus except the regression-* inputs (ones that
found a bug); the committed one was made this way (docs/security-checks.md).
The keys in it belong to a throwaway CA made for the corpus and never used.
Needs only local tools, no network.
"""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def run(*args, data=None):
    return subprocess.run(args, input=data, check=True, capture_output=True).stdout


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def pem_certs_to_der(pem):
    out = []
    for block in pem.split(b"-----END CERTIFICATE-----")[:-1]:
        block = block[block.index(b"-----BEGIN CERTIFICATE-----"):] + b"-----END CERTIFICATE-----\n"
        out.append(run("openssl", "x509", "-outform", "DER", data=block))
    return out


def der_ecdsa_to_raw(der, size):
    """An ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } as JWS's R||S."""
    def read(buf, at):
        tag, length = buf[at], buf[at + 1]
        at += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[at:at + n], "big")
            at += n
        return tag, buf[at:at + length], at + length
    _, seq, _ = read(der, 0)
    _, r, at = read(seq, 0)
    _, s, _ = read(seq, at)
    return int.from_bytes(r, "big").to_bytes(size, "big") + int.from_bytes(s, "big").to_bytes(size, "big")


class AcmeKey:
    """An account key made by `openssl`, its public JWK, and JWS signing."""

    def __init__(self, tmp, name, kind):
        self.path = os.path.join(tmp, name + ".pem")
        self.kind = kind
        if kind == "p256":
            pem = run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout")
            point = run("openssl", "ec", "-pubout", "-outform", "DER", data=pem)[-65:]
            self.jwk = '{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' % (b64u(point[1:33]), b64u(point[33:]))
            self.alg = "ES256"
        else:
            pem = run("openssl", "genrsa", "2048")
            modulus = run("openssl", "rsa", "-noout", "-modulus", data=pem).decode().strip().split("=")[1]
            # Proxmox VE sends "use":"sig" with its RSA account key.
            self.jwk = '{"e":"AQAB","kty":"RSA","n":"%s","use":"sig"}' % b64u(bytes.fromhex(modulus))
            self.alg = "RS256"
        with open(self.path, "wb") as f:
            f.write(pem)

    def sign(self, header, payload):
        protected = b64u(header.encode())
        body = b64u(payload.encode()) if payload else ""
        signature = run("openssl", "dgst", "-sha256", "-sign", self.path,
                        data=("%s.%s" % (protected, body)).encode())
        if self.kind == "p256":
            signature = der_ecdsa_to_raw(signature, 32)
        return '{"protected":"%s","payload":"%s","signature":"%s"}' % (protected, body, b64u(signature))


def eab_binding(hmac_key, kid, url, jwk):
    import hmac
    protected = b64u(('{"alg":"HS256","kid":"%s","url":"%s"}' % (kid, url)).encode())
    payload = b64u(jwk.encode())
    mac = hmac.new(hmac_key, ("%s.%s" % (protected, payload)).encode(), hashlib.sha256).digest()
    return '{"protected":"%s","payload":"%s","signature":"%s"}' % (protected, payload, b64u(mac))


def write_acme(tmp):
    """fuzz_acme_request: selector, the account JWK, a newline, the body;
    fuzz_acme_jws: selector (0 body, 1 JWK, 2 binding), the text. The nonce
    and HMAC key are the fixed ones of the targets."""
    base = "https://ca.home.arpa:8443/acme/"
    nonce = "AAAAAAAAAAAAAAAAAAAAAA"
    hmac_key = bytes([0x42] * 32)
    ec = AcmeKey(tmp, "acme-p256", "p256")
    rsa = AcmeKey(tmp, "acme-rsa", "rsa")

    def jwk_header(key, url, alg=None):
        return '{"alg":"%s","jwk":%s,"nonce":"%s","url":"%s"}' % (alg or key.alg, key.jwk, nonce, url)

    def kid_header(key, url):
        return '{"alg":"%s","kid":"%sacct/1","nonce":"%s","url":"%s"}' % (key.alg, base, nonce, url)

    binding = eab_binding(hmac_key, "fuzz-kid", base + "new-account", ec.jwk)
    new_account = ec.sign(jwk_header(ec, base + "new-account"),
                          '{"termsOfServiceAgreed":true,"externalAccountBinding":%s}' % binding)
    seeds = {
        "new-account-eab": (0, ec, new_account),
        "new-account-rs256": (0, rsa, rsa.sign(jwk_header(rsa, base + "new-account"),
                                               '{"onlyReturnExisting":true}')),
        "new-order-kid": (1, ec, ec.sign(kid_header(ec, base + "new-order"),
                                         '{"identifiers":[{"type":"dns","value":"nas.home.arpa"}]}')),
        "post-as-get": (1, rsa, rsa.sign(kid_header(rsa, base + "new-order"), "")),
        "revoke-jwk": (2, ec, ec.sign(jwk_header(ec, base + "revoke-cert"),
                                      '{"certificate":"MIIB","reason":4}')),
        "alg-none": (0, ec, '{"protected":"%s","payload":"","signature":""}'
                     % b64u(jwk_header(ec, base + "new-account", "none").encode())),
    }
    for name, (selector, key, body) in seeds.items():
        write("fuzz_acme_request", name, bytes([selector]) + key.jwk.encode() + b"\n" + body.encode())
    write("fuzz_acme_jws", "new-account", b"\x00" + new_account.encode())
    write("fuzz_acme_jws", "jwk-rsa-use-sig", b"\x01" + rsa.jwk.encode())
    write("fuzz_acme_jws", "jwk-p256", b"\x01" + ec.jwk.encode())
    write("fuzz_acme_jws", "binding", b"\x02" + binding.encode())


def main():
    homeca = os.path.join(sys.argv[1], "ca", "homeca")
    tmp = tempfile.mkdtemp(prefix="homeca-corpus.")
    try:
        data_dir = os.path.join(tmp, "ca")
        run(homeca, "init", "--data-dir", data_dir, "--org", "homeca fuzz corpus")
        # Real CSRs: EC P-256 (PEM and DER), EC P-384, RSA 2048 (DER).
        csrs = {}
        for name, args in {
            "p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "p384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "rsa2048": ["-newkey", "rsa:2048"],
        }.items():
            key = os.path.join(tmp, name + ".key")
            pem = run("openssl", "req", "-new", *args, "-nodes", "-keyout", key,
                      "-subj", "/CN=nas", "-addext", "subjectAltName=DNS:nas.home.arpa")
            csrs[name] = (pem, run("openssl", "req", "-outform", "DER", data=pem))
        csr_path = os.path.join(tmp, "p256.csr")
        with open(csr_path, "wb") as f:
            f.write(csrs["p256"][0])
        chain_pem = run(homeca, "issue", "--data-dir", data_dir, "--csr", csr_path,
                        "--name", "nas", "--name", "nas.home.arpa")
        chain = pem_certs_to_der(chain_pem)
        root_der = run(homeca, "export-root", "--data-dir", data_dir, "--format", "der")
        root_fp = hashlib.sha256(root_der).hexdigest()
        backup = os.path.join(tmp, "backup.tgz")
        run(homeca, "backup", "--data-dir", data_dir, "--out", backup)

        # Inputs that once found a bug (regression-*) stay; the rest is remade.
        for dirpath, _, names in os.walk(CORPUS):
            for name in names:
                if not name.startswith("regression-"):
                    os.remove(os.path.join(dirpath, name))

        # fuzz_csr_names: names, a blank line, the CSR.
        write("fuzz_csr_names", "p256-pem", b"nas\nnas.home.arpa\n\n" + csrs["p256"][0])
        write("fuzz_csr_names", "p256-der", b"printer.home.arpa\n\n" + csrs["p256"][1])
        write("fuzz_csr_names", "p384-der", b"*.lab.home.arpa\nnas.local\n\n" + csrs["p384"][1])
        write("fuzz_csr_names", "rsa2048-der", b"192.168.1.20\nfd00::20\n\n" + csrs["rsa2048"][1])

        # fuzz_backup_archive: the archive `homeca backup` wrote.
        # Selector 0: the archive's bytes. Selector 1: its members, NUL-separated
        # (name, content, ...), which the target packs into a tar itself.
        with open(backup, "rb") as f:
            write("fuzz_backup_archive", "backup.tgz", b"\x00" + f.read())
        members = []
        for name, path in (("HOMECA-BACKUP", None), ("root.pem", "root.pem"),
                           ("root-key.pem", "root-key.pem"), ("intermediate.pem", "intermediate.pem"),
                           ("intermediate-key.pem", "intermediate-key.pem"), ("crl.pem", "crl.pem")):
            members.append(name.encode())
            if path is None:
                members.append(b"homeca backup 1\n")
            else:
                with open(os.path.join(data_dir, path), "rb") as f:
                    members.append(f.read())
        # A stand-in database (the real one is 100+ KiB; the reader only bounds its size).
        members += [b"ca.db", b"SQLite format 3\x00"]
        write("fuzz_backup_archive", "members", b"\x01" + b"\x00".join(members))

        # fuzz_mdns: selector, instance name, host name, TXT strings (NUL-separated).
        write("fuzz_mdns", "ca-record", b"\x00homeca on nas\x00nas.local\x00v=1\x00fp="
              + root_fp[:16].encode() + b"\x00path=/enroll/v1/")
        write("fuzz_mdns", "pair-record", b"\x01tv-livingroom\x00tv.local\x00id=tv-livingroom-7f3a"
              b"\x00model=Living room TV \xe2\x80\x94 4K")
        write("fuzz_mdns", "printer", b"\x06Office printer\x00printer.local\x00txtvers=1\x00"
              b"rp=ipp/print\x00ty=Brother HL-L2350DW\x00UTF-8 \xd0\xbf\xd1\x80\xd0\xb8\x00color")

        # fuzz_api_body: request bodies of docs/api.md.
        write("fuzz_api_body", "pairing-name", '{"name": "nas"}')
        write("fuzz_api_body", "pairing-names", '{"names": ["nas", "nas.home.arpa"], "ttl_minutes": 30}')
        write("fuzz_api_body", "pairing-acme", '{"name": "nas", "acme": true}')
        write("fuzz_api_body", "arm-device", '{"device_id": "tv-livingroom-7f3a", "code": '
              '"4711-0815-4242", "names": ["tv"], "ttl_minutes": 60}')
        write("fuzz_api_body", "revoke", '{"reason": "keyCompromise"}')
        write("fuzz_api_body", "empty", "")

        # fuzz_enroll_service: selector (path; 8: real session spliced in;
        # 16: a real client certificate), then the body.
        point = run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout")
        pub = run("openssl", "ec", "-pubout", "-outform", "DER", data=point)[-65:]
        csr_body = '{"csr": "%s"}' % b64u(csrs["p256"][1])
        write("fuzz_enroll_service", "start-slot", b"\x00" + b'{"version": 1, "slot": 42}')
        write("fuzz_enroll_service", "start-device", b"\x00" + b'{"version": 1, "device_id": "fuzz-device"}')
        write("fuzz_enroll_service", "exchange", b"\x09" + ('{"session": "SESSION", "share_p": "%s"}'
                                                           % b64u(pub)).encode())
        write("fuzz_enroll_service", "finish", b"\x0a" + ('{"session": "SESSION", "confirm_p": "%s", '
              '"sealed_request": "%s"}' % (b64u(os.urandom(32)), b64u(os.urandom(120)))).encode())
        write("fuzz_enroll_service", "renew", b"\x13" + csr_body.encode())
        write("fuzz_enroll_service", "sealed-request-plaintext", b"\x03" + csr_body.encode())
        write("fuzz_enroll_service", "other-path", b"\x04/enroll/v1/../admin\n{}")
        write("fuzz_enroll_service", "checkin", b"\x14/enroll/v1/checkin\n{}")

        # fuzz_enroll_device: selector (0 pairing, 1 renewal, 2 sealed
        # plaintext), then the CA's answers, NUL-separated.
        start = '{"session": "%s", "salt": "%s", "iterations": 1000}' % (
            b64u(os.urandom(16)), b64u(os.urandom(16)))
        exchange = '{"share_v": "%s", "confirm_v": "%s"}' % (b64u(pub), b64u(os.urandom(32)))
        finish = '{"sealed_response": "%s"}' % b64u(os.urandom(200))
        write("fuzz_enroll_device", "pairing", b"\x00" + "\x00".join([start, exchange, finish]).encode())
        write("fuzz_enroll_device", "pairing-no-pairing", b"\x00"
              + b'404 {"error": "no_pairing", "message": "no pairing is armed for this device"}')
        write("fuzz_enroll_device", "pairing-rate-limited", b"\x00"
              + b'429 {"error": "rate_limited", "message": "too many key exchanges; retry later"}')
        chain_json = ", ".join('"%s"' % b64u(c) for c in chain)
        renew = '{"chain": [%s], "names": ["nas.home.arpa"], "not_after": "2027-05-22T10:00:00Z"}' % chain_json
        write("fuzz_enroll_device", "renew", b"\x01" + renew.encode())
        write("fuzz_enroll_device", "renew-revoked", b"\x01"
              + b'403 {"error": "revoked", "message": "this certificate was revoked"}')
        sealed = ('{"chain": [%s], "root": "%s", "names": ["nas.home.arpa"], '
                  '"not_after": "2027-02-21T10:00:00Z", '
                  '"renew_url": "https://ca.home.arpa:8443/enroll/v1/renew"}' % (chain_json, b64u(root_der)))
        write("fuzz_enroll_device", "sealed-plaintext", b"\x02" + sealed.encode())
        write("fuzz_enroll_device", "pem-chain", b"\x02" + chain_pem)

        write_acme(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
