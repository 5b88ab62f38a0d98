#!/usr/bin/env python3
"""A TLS-terminating man in the middle, for tests only.

Accepts TLS on 127.0.0.1:LISTEN_PORT with its own certificate, opens a TLS
connection to 127.0.0.1:UPSTREAM_PORT without verifying it, and relays bytes
both ways. This is exactly what an attacker on the LAN could do to a device
that does not yet trust the CA; pairing must fail through it.

usage: mitm_proxy.py LISTEN_PORT UPSTREAM_PORT CERT_PEM KEY_PEM
"""
import socket
import ssl
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, upstream_port):
    upstream_ctx = ssl.create_default_context()
    upstream_ctx.check_hostname = False
    upstream_ctx.verify_mode = ssl.CERT_NONE
    upstream = upstream_ctx.wrap_socket(socket.create_connection(("127.0.0.1", upstream_port)))
    threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
    pump(upstream, client)


def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    server = socket.create_server(("127.0.0.1", listen_port))
    print("mitm listening", flush=True)
    while True:
        raw, _ = server.accept()
        try:
            client = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            continue
        threading.Thread(target=serve, args=(client, upstream_port), daemon=True).start()


if __name__ == "__main__":
    main()
