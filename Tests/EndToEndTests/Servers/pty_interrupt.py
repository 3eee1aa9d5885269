"""Runs authflow on a fresh pseudo-terminal, waits for its prompt, interrupts it, reports the terminal.

Usage: pty_interrupt.py [--wait TEXT] SIGNAL BINARY ARG...   (SIGNAL: INT sent as Ctrl-C by the line
discipline, or TERM/HUP sent with kill; TEXT: what to wait for on the tty, default ": ", the end of
a prompt). Prints one JSON object: the echo flag while prompting, the exit status (negative: killed
by that signal), the `stty -a` line after the process ended, the tty's text and the child's stdout.
"""
import json
import os
import select
import signal
import subprocess
import sys
import termios
import time


def main():
    argv = sys.argv[1:]
    wait_for = b": "
    if argv[:1] == ["--wait"]:
        wait_for, argv = argv[1].encode(), argv[2:]
    which, binary, args = argv[0], argv[1], argv[2:]
    master, slave = os.openpty()
    name = os.ttyname(slave)

    def become_session_leader():
        os.setsid()
        os.close(os.open(name, os.O_RDWR))  # the first tty a session leader opens becomes its terminal

    child = subprocess.Popen([binary] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=slave, preexec_fn=become_session_leader)
    seen = b""
    deadline = time.time() + 20
    while wait_for not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 4096)
    time.sleep(0.3)  # the prompt is written just before echo goes off
    echo_while_prompting = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    if which == "INT":
        os.write(master, b"\x03")
    else:
        os.kill(child.pid, getattr(signal, "SIG" + which))
    try:
        stdout, _ = child.communicate(timeout=20)
        status = child.returncode
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, _ = child.communicate()
        status = "timeout"
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            break
        seen += os.read(master, 4096)
    stty = subprocess.run(["stty", "-a"], stdin=slave, capture_output=True, text=True).stdout
    print(json.dumps({"echoWhilePrompting": echo_while_prompting, "status": status, "stty": stty,
                      "tty": seen.decode("utf-8", "replace"), "stdout": stdout.decode("utf-8", "replace")}))


main()
