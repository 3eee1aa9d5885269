"""What every test server does to start and stop: announce its port, serve until signalled."""
import os
import signal
import sys
import threading


def write_port_file(path, port):
    """Writes PORT to PATH atomically, so a poller never reads a half-written file."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(f"{port}\n")
    os.replace(tmp, path)


def serve(httpd, url, on_stop=None):
    """Serves until SIGTERM or SIGINT, after saying where on stderr; on_stop runs first."""
    def stop(signum, frame):
        if on_stop:
            on_stop()
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"listening on {url}", file=sys.stderr, flush=True)
    httpd.serve_forever(poll_interval=0.1)
    httpd.server_close()
