"""Runs authflow with a fresh pseudo-terminal as its stdin and terminal, waits for its prompt, then
types an answer or presses Ctrl-C, and reports the terminal.

Usage: pty_answer.py PROMPT ACTION BINARY ARG...   (ACTION: "type:TEXT" types TEXT and Enter; "INT"
presses Ctrl-C). Prints one JSON object: the echo flag while prompting, the exit status (negative:
killed by that signal), the `stty -a` line after the process ended, the tty's text and stdout.
"""
import json
import os
import select
import subprocess
import sys
import termios
import time


def main():
    prompt, action, binary, args = sys.argv[1].encode(), sys.argv[2], sys.argv[3], sys.argv[4:]
    master, slave = os.openpty()
    name = os.ttyname(slave)

    def become_session_leader():
        os.setsid()
        os.close(os.open(name, os.O_RDWR))  # the first tty a session leader opens becomes its terminal

    child = subprocess.Popen([binary] + args, stdin=slave, stdout=subprocess.PIPE,
                             stderr=slave, preexec_fn=become_session_leader)
    seen = b""
    deadline = time.time() + 20
    while prompt not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 4096)
    time.sleep(0.3)  # the prompt is written just before echo goes off
    echo_while_prompting = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    if action == "INT":
        os.write(master, b"\x03")
    else:
        os.write(master, action[len("type:"):].encode() + b"\n")
    try:
        stdout, _ = child.communicate(timeout=20)
        status = child.returncode
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, status = b"", "timeout"
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            break
        seen += os.read(master, 4096)
    stty = subprocess.run(["stty", "-a"], stdin=slave, capture_output=True, text=True).stdout
    print(json.dumps({"echoWhilePrompting": echo_while_prompting, "status": status, "stty": stty,
                      "tty": seen.decode("utf-8", "replace"), "stdout": stdout.decode("utf-8", "replace")}))


main()
