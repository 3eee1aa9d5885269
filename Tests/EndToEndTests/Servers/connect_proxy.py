#!/usr/bin/env python3
"""A loopback HTTP CONNECT proxy for authflow's proxy end-to-end tests.

    python3 connect_proxy.py --port 0 --port-file F --log L [--upstream 127.0.0.1]

Answers only CONNECT (anything else: 405). Each CONNECT target (`host:port`) is appended as one line
to L before the tunnel opens, so a test can tell whether authflow used the proxy. Every tunnel goes
to the target's port on --upstream (127.0.0.1), whatever the target's host: a test can name a host
that only the proxy "resolves" (e.g. auth.test), which proves the request went through the proxy.
Same process contract as the other servers: the port in F once listening, one `listening on ...` line
on stderr, SIGTERM exits 0.
"""
import argparse
import os
import select
import signal
import socket
import socketserver
import sys
import threading

import serving  # Servers/serving.py, beside this file

LOG_LOCK = threading.Lock()


class Tunnel(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(8192).decode("latin-1").strip()
        while True:  # the rest of the request head
            header = self.rfile.readline(8192)
            if header in (b"\r\n", b"\n", b""):
                break
        method, _, rest = line.partition(" ")
        target = rest.split(" ")[0]
        if method != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        with LOG_LOCK, open(self.server.log, "a") as fh:
            fh.write(target + "\n")
        _, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((self.server.upstream, int(port)), timeout=10)
        except (OSError, ValueError):
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        self.wfile.flush()
        relay(self.connection, upstream)


def relay(a, b):
    sockets = [a, b]
    try:
        while True:
            ready, _, _ = select.select(sockets, [], [], 30)
            if not ready:
                return
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return
    finally:
        b.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True, help="append each CONNECT target here, one per line")
    ap.add_argument("--upstream", default="127.0.0.1", help="where every tunnel really goes")
    args = ap.parse_args()
    try:
        server = Server(("127.0.0.1", args.port), Tunnel)
    except OSError as e:
        sys.exit(f"connect_proxy: {e}")
    server.log, server.upstream = args.log, args.upstream
    open(args.log, "a").close()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    port = server.server_address[1]
    serving.write_port_file(args.port_file, port)
    print(f"listening on http://127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
