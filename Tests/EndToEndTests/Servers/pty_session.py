"""Runs authflow on a fresh pseudo-terminal, waits for its prompt, then answers or interrupts it, and
reports what the terminal was left in.

Usage: pty_session.py [--wait TEXT] [--stdin-tty] ACTION BINARY ARG...
  TEXT         what to wait for on the tty (default ": ", the end of a prompt)
  --stdin-tty  the terminal is authflow's stdin too (default: /dev/null)
  ACTION       INT: Ctrl-C, sent by the line discipline; TERM or HUP: sent with kill;
               type:TEXT: types TEXT and Enter
Prints one JSON object: the echo flag while prompting, the exit status (negative: killed by that
signal; null: still running after 60 s), the `stty -a` line after the process ended, the tty's text
and the child's stdout. Waits are long: on a loaded machine authflow may take seconds to prompt.
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
    wait_for, stdin_is_tty = b": ", False
    while argv[0].startswith("--"):
        if argv[0] == "--wait":
            wait_for, argv = argv[1].encode(), argv[2:]
        elif argv[0] == "--stdin-tty":
            stdin_is_tty, argv = True, argv[1:]
        else:
            sys.exit("unknown option " + argv[0])
    action, binary, args = argv[0], argv[1], argv[2:]
    master, slave = os.openpty()
    name = os.ttyname(slave)

    def become_session_leader():
        os.setsid()
        os.close(os.open(name, os.O_RDWR))  # the first tty a session leader opens becomes its terminal

    child = subprocess.Popen([binary] + args, stdin=slave if stdin_is_tty else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave, preexec_fn=become_session_leader)
    seen = b""
    deadline = time.time() + 60
    while wait_for not in seen and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 4096)
    time.sleep(0.3)  # the prompt is written just before echo goes off
    echo_while_prompting = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    if action == "INT":
        os.write(master, b"\x03")
    elif action.startswith("type:"):
        os.write(master, action[len("type:"):].encode() + b"\n")
    else:
        os.kill(child.pid, getattr(signal, "SIG" + action))
    try:
        stdout, _ = child.communicate(timeout=60)
        status = child.returncode
    except subprocess.TimeoutExpired:
        child.kill()
        stdout, _ = child.communicate()
        status = None
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            break
        seen += os.read(master, 4096)
    stty = subprocess.run(["stty", "-a"], stdin=slave, capture_output=True, text=True).stdout
    print(json.dumps({"echoWhilePrompting": echo_while_prompting, "status": status, "stty": stty,
                      "tty": seen.decode("utf-8", "replace"), "stdout": stdout.decode("utf-8", "replace")}))


main()
