"""A loopback HTTP server that answers every GET with the request's Authorization header.

Used by the curl integration test: `authflow token P --format curl | curl -K - URL` must arrive
with exactly `Authorization: Bearer TOKEN`.

    python3 echo_server.py --port-file FILE
"""
import argparse
import http.server
import os
import signal
import sys

import serving  # Servers/serving.py, beside this file


class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (self.headers.get("Authorization") or "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Echo)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    serving.write_port_file(args.port_file, server.server_address[1])
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
