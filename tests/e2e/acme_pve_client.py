#!/usr/bin/python3
"""An ACME client that behaves like Proxmox VE's (PVE::ACME), built on
Debian's python3-acme (the message types certbot uses) and python3-requests.

What it copies from Proxmox, each a way a server can fail a real client:
  - a nonce is fetched with GET on newNonce, and the answer must be 204;
  - the account key is RSA-4096 and its JWK carries "use":"sig";
  - account creation must answer exactly 201, an order exactly 201;
  - after a renewal, the old certificate is revoked with the account key.
It also shows the server's JWK thumbprint covers the required members only:
the same key without "use" (members in another order) finds the same account.

Usage: acme_pve_client.py DIRECTORY_URL ROOT_PEM KID HMAC OUT_DIR
With ACME_TLS_NAME set, the server's certificate is verified (against
ROOT_PEM still) for that name instead of the URL's host, as curl --resolve
would: for a homecad reached as https://127.0.0.1:<port> in --dev mode.
With ACME_RESOLVE=NAME:ADDRESS, connections to NAME go to ADDRESS, as curl
--resolve does: homecad --dev's URLs name <host>.local (the name in its
certificate) while it listens on 127.0.0.1.
Writes OUT_DIR/cert1.pem, cert2.pem (leaf + chain). Exits non-zero with a
message on the first thing that is not as Proxmox expects.
"""
import base64
import json
import os
import sys

import josepy
import requests
from requests.adapters import HTTPAdapter
from acme import messages
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

TIMEOUT = 20

if os.environ.get("ACME_RESOLVE"):
    import urllib3.util.connection

    _NAME, _ADDRESS = os.environ["ACME_RESOLVE"].rsplit(":", 1)
    _create_connection = urllib3.util.connection.create_connection

    def _resolved(address, *args, **kwargs):
        host, port = address
        return _create_connection((_ADDRESS if host == _NAME else host, port), *args, **kwargs)

    urllib3.util.connection.create_connection = _resolved


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def die(msg: str) -> None:
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


class NamedTls(HTTPAdapter):
    """Verifies the server's certificate for `name` (SNI too), whatever the URL's host."""

    def __init__(self, name: str):
        self.name = name
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["server_hostname"] = self.name
        return super().init_poolmanager(*args, **kwargs)


class PveLikeClient:
    def __init__(self, directory_url: str, root_pem: str, key: rsa.RSAPrivateKey):
        self.session = requests.Session()
        # Passed on every call: a session's verify loses to REQUESTS_CA_BUNDLE
        # or CURL_CA_BUNDLE in the environment (requests merges those first).
        self.root = root_pem
        if os.environ.get("ACME_TLS_NAME"):
            self.session.mount("https://", NamedTls(os.environ["ACME_TLS_NAME"]))
        self.key = key
        self.kid = None
        self.dir = self.session.get(directory_url, verify=self.root, timeout=TIMEOUT).json()
        # from_json rewrites the dict it is given: hand it a copy.
        self.directory = messages.Directory.from_json(json.loads(json.dumps(self.dir)))

    def jwk(self, with_use: bool = True) -> dict:
        jwk = josepy.JWKRSA(key=self.key.public_key()).to_json()
        if with_use:
            # Proxmox writes its JWK as {"e","kty","n","use":"sig"}.
            return {"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"], "use": "sig"}
        return {"n": jwk["n"], "kty": jwk["kty"], "e": jwk["e"]}

    def nonce(self) -> str:
        r = self.session.get(self.dir["newNonce"], verify=self.root, timeout=TIMEOUT)
        if r.status_code != 204:
            die(f"GET newNonce answered {r.status_code}, Proxmox expects 204")
        return r.headers["Replay-Nonce"]

    def post(self, url: str, payload, jwk: dict = None) -> requests.Response:
        protected = {"alg": "RS256", "nonce": self.nonce(), "url": url}
        if jwk is not None:
            protected["jwk"] = jwk
        else:
            protected["kid"] = self.kid
        protected64 = b64(json.dumps(protected).encode())
        payload64 = "" if payload is None else b64(json.dumps(payload).encode())
        signature = self.key.sign(
            f"{protected64}.{payload64}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        body = json.dumps(
            {"protected": protected64, "payload": payload64, "signature": b64(signature)}
        )
        return self.session.post(
            url,
            data=body,
            headers={"Content-Type": "application/jose+json"},
            verify=self.root,
            timeout=TIMEOUT,
        )

    def expect(self, r: requests.Response, code: int, what: str) -> requests.Response:
        if r.status_code != code:
            die(f"{what}: {r.status_code} (Proxmox expects {code}): {r.text}")
        if "Replay-Nonce" not in r.headers:
            die(f"{what}: no Replay-Nonce")
        return r

    def register(self, kid: str, hmac: str) -> None:
        eab = messages.ExternalAccountBinding.from_data(
            account_public_key=josepy.JWKRSA(key=self.key.public_key()),
            kid=kid,
            hmac_key=hmac,
            directory=self.directory,
        )
        reg = messages.NewRegistration(
            contact=("mailto:admin@home.arpa",),
            terms_of_service_agreed=True,
            external_account_binding=eab,
        ).to_json()
        reg["externalAccountBinding"] = eab
        r = self.expect(self.post(self.dir["newAccount"], reg, jwk=self.jwk()), 201, "newAccount")
        self.kid = r.headers["Location"]
        if r.json().get("status") != "valid":
            die(f"the new account is not valid: {r.text}")

    def order(self, name: str, out: str) -> str:
        new_order = messages.NewOrder(
            identifiers=(messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=name),)
        ).to_json()
        r = self.expect(self.post(self.dir["newOrder"], new_order), 201, "newOrder")
        order_url = r.headers["Location"]
        order = r.json()
        for authz_url in order["authorizations"]:
            authz = self.expect(self.post(authz_url, None), 200, "authorization").json()
            if authz["status"] != "valid":
                die(f"authorization {authz_url} is {authz['status']}, not valid")
        cert_key = ec.generate_private_key(ec.SECP256R1())
        csr = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(cert_key, hashes.SHA256())
        )
        # RFC 8555 7.4: the CSR in DER, base64url (python3-acme 2.1's own
        # CertificateRequest wants a pyOpenSSL object).
        finalize = {"csr": b64(csr.public_bytes(serialization.Encoding.DER))}
        # Proxmox polls the order until valid; homecad answers valid at once.
        r = self.expect(
            self.post(order["finalize"], finalize), 200, "finalize"
        ).json()
        if r["status"] != "valid":
            r = self.expect(self.post(order_url, None), 200, "order").json()
        if r["status"] != "valid":
            die(f"the order is {r['status']} after finalize")
        chain = self.expect(self.post(r["certificate"], None), 200, "certificate")
        if not chain.headers.get("Content-Type", "").startswith("application/pem-certificate-chain"):
            die(f"certificate Content-Type: {chain.headers.get('Content-Type')}")
        with open(out, "w") as f:
            f.write(chain.text)
        return chain.text

    def revoke(self, pem: str) -> requests.Response:
        der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
        return self.post(self.dir["revokeCert"], {"certificate": b64(der)})


def main() -> None:
    directory_url, root_pem, kid, hmac, out = sys.argv[1:6]
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    client = PveLikeClient(directory_url, root_pem, key)
    if not client.dir.get("meta", {}).get("externalAccountRequired"):
        die("the directory does not require an external account")
    client.register(kid, hmac)

    # The thumbprint is over e, kty, n only (RFC 7638): the same key without
    # "use", its members in another order, names the same account.
    r = client.expect(
        client.post(client.dir["newAccount"], {"onlyReturnExisting": True}, jwk=client.jwk(False)),
        200,
        "newAccount onlyReturnExisting without use",
    )
    if r.headers.get("Location") != client.kid:
        die(f"the same key without 'use' found {r.headers.get('Location')}, not {client.kid}")

    first = client.order("nas.home.arpa", f"{out}/cert1.pem")
    client.order("nas.home.arpa", f"{out}/cert2.pem")
    # Proxmox revokes the certificate its renewal replaced.
    client.expect(client.revoke(first), 200, "revokeCert of the replaced certificate")
    again = client.revoke(first)
    if again.status_code != 400 or "alreadyRevoked" not in again.text:
        die(f"a second revocation answered {again.status_code}: {again.text}")
    print("python3-acme client: registered (201), ordered twice, revoked the replaced certificate")


if __name__ == "__main__":
    main()
