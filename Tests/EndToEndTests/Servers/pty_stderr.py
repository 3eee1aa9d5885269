"""Runs authflow with its stderr on a fresh pseudo-terminal (stdout a pipe) and reports what the terminal got.

Usage: pty_stderr.py BINARY ARG...   Prints one JSON object: the exit status, stdout, and the tty's
bytes as text (escape sequences kept), so a test can see a line rewritten in place.
"""
import json
import os
import select
import subprocess
import sys
import time


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    master, slave = os.openpty()
    child = subprocess.Popen([binary] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif child.poll() is not None:
            break
    stdout = child.stdout.read()
    status = child.wait(timeout=20)
    print(json.dumps({"status": status, "stdout": stdout.decode("utf-8", "replace"), "tty": seen.decode("utf-8", "replace")}))


main()
