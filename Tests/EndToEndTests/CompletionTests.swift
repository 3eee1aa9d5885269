import Foundation
import Testing

/// Shell completion scripts from `authflow --generate-completion-script`, loaded in real shells: a
/// profile name completes from the profile file the command would use (`-c`, `$AUTHFLOW_CONFIG`, search).
@Suite("completion")
struct CompletionTests {
    static let profiles = """
        version: 1
        profiles:
          prod: {domain: example.okta.com, client: {id: a}, grant: client_credentials}
          preview: {extends: prod}
          .base: {}
          ci: {extends: prod}
        """

    /// A sandbox with `authflow.yaml` (prod, preview, ci), `other.yaml` (staging) and the script for `shell`.
    static func sandbox(_ shell: String) async throws -> (Sandbox, URL) {
        let sandbox = try Sandbox()
        try sandbox.write(profiles)
        try sandbox.write("version: 1\nprofiles:\n  staging: {}\n", to: "other.yaml")
        let generated = try await sandbox.run("--generate-completion-script", shell)
        #expect(generated.exitCode == 0 && !generated.stdout.isEmpty, "\(generated)")
        let script = try sandbox.write(generated.stdout, to: "completion.\(shell)")
        // The scripts run `authflow` from PATH, as an installed one would be.
        sandbox.environment["PATH"] = try AuthFlowBinary.url().deletingLastPathComponent().path + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        return (sandbox, script)
    }

    static func shell(_ name: String) throws -> URL {
        try #require(Subprocess.which(name), "\(name) is not installed; .ci/run installs it")
    }

    /// Whether the tests in `shell` run: when it is installed, and always in CI (`CI=true`), where
    /// .ci/run installs zsh and fish, so a missing one fails the run instead of skipping it.
    static func runsHere(_ shell: String) -> Bool {
        Subprocess.which(shell) != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static let cases: [(line: String, expected: [String])] = [
        ("authflow env ", ["prod", "preview", "ci"]),
        ("authflow header pr", ["prod", "preview"]),
        ("authflow token c", ["ci"]),
        ("authflow cache clear ", ["prod", "preview", "ci"]),
        ("authflow env -c other.yaml ", ["staging"]),
        ("authflow token --config=other.yaml ", ["staging"]),
    ]

    /// Completes `line` in bash through the registered function, as a TAB would: COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT.
    static func bash(_ line: String, script: URL, sandbox: Sandbox, env: [String: String] = [:]) async throws -> [String] {
        let probe = """
            source \(script.path)
            function=$(complete -p authflow | sed -E 's/.*-F ([^ ]+) .*/\\1/')
            COMP_LINE=$LINE; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<< "$COMP_LINE"
            [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            "$function" authflow "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        var environment = sandbox.environment.merging(env) { $1 }
        environment["LINE"] = line
        let output = try await Subprocess.run(try shell("bash"), ["--norc", "--noprofile", "-c", probe], environment: environment, directory: sandbox.work)
        #expect(output.status == 0, "bash: \(String(decoding: output.stderr, as: UTF8.self))")
        return String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("bash: profile names complete", arguments: cases)
    func bashCompletes(line: String, expected: [String]) async throws {
        let (sandbox, script) = try await Self.sandbox("bash")
        let offered = try await Self.bash(line, script: script, sandbox: sandbox)
        #expect(offered == expected, "\(line)")
    }

    @Test("bash: $AUTHFLOW_CONFIG names the file")
    func bashEnvironment() async throws {
        let (sandbox, script) = try await Self.sandbox("bash")
        let names = try await Self.bash("authflow env ", script: script, sandbox: sandbox, env: ["AUTHFLOW_CONFIG": sandbox.work.appendingPathComponent("other.yaml").path])
        #expect(names == ["staging"])
    }

    /// Completes `line` in an interactive zsh on a pseudo-terminal (`zpty`): compinit, the script, a TAB;
    /// every candidate zsh's completion system is offered is captured through a `compadd` wrapper.
    /// compinit runs with `-D` alone, which writes no dump file. (`-d /dev/null` after it turns dumping
    /// back on, and compdump writes `/dev/null.HOST.PID` and moves it over its target: run as root, that
    /// replaced the machine's /dev/null with a regular file, and every later compinit choked on it.)
    /// Returns the candidates, and what zsh wrote (for a failure message).
    static func zsh(_ line: String, script: URL, sandbox: Sandbox) async throws -> (candidates: [String], transcript: String) {
        let driver = try sandbox.write("""
            zmodload zsh/zpty || exit 2
            zpty -b comp zsh -f -i
            zpty -w comp "PS1=''; PROMPT=''; RPROMPT=''"
            zpty -w comp "autoload -Uz compinit && compinit -u -D"
            zpty -w comp "source ${(q)1} && compdef _authflow authflow"
            zpty -w comp 'compadd () { local -a found; builtin compadd -A found "$@"; local f; for f in $found; do print -r -- "<cand""idate>$f"; done; }'
            zpty -w comp 'print -r -- "<rea""dy>"'
            integer quiet=0
            while (( quiet < 1200 )); do
              if zpty -r -t comp line; then print -ru2 -- "before: ${(q+)line}"; [[ ${line//[$'\\r\\n']/} == '<ready>' ]] && break; else (( quiet++ )); sleep 0.1; fi
            done
            zpty -w -n comp "$2"$'\\t'
            # Candidates come once the completion has run authflow (slow on a loaded machine): wait up to
            # 120 s for the first, then until the output has been quiet for 2 s.
            integer seen=0
            quiet=0
            while (( quiet < (seen ? 20 : 1200) )); do
              if zpty -r -t comp line; then
                quiet=0
                print -ru2 -- "after: ${(q+)line}"
                if [[ $line == *'<candidate>'* ]]; then seen=1; print -r -- "${${line##*<candidate>}//[$'\\r\\n']/}"; fi
              else (( quiet++ )); sleep 0.1; fi
            done
            zpty -d comp
            """, to: "zsh-driver.zsh")
        let output = try await Subprocess.run(try shell("zsh"), ["-f", driver.path, script.path, line], environment: sandbox.environment, directory: sandbox.work, timeout: .seconds(300))
        let transcript = String(decoding: output.stderr, as: UTF8.self)
        #expect(output.status == 0, "zsh: \(transcript)")
        var seen: Set<String> = []
        return (String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").map(String.init).filter { seen.insert($0).inserted }, transcript)
    }

    @Test("zsh: profile names complete", .enabled(if: runsHere("zsh"), "zsh is not installed (apt-get install zsh)"), arguments: [cases[0], cases[1], cases[4]])
    func zshCompletes(line: String, expected: [String]) async throws {
        let (sandbox, script) = try await Self.sandbox("zsh")
        let (offered, transcript) = try await Self.zsh(line, script: script, sandbox: sandbox)
        #expect(offered == expected, "\(line)\n\(transcript)")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR, "/dev/null is no longer a device")
    }

    /// Types `line` and a TAB into an interactive fish on a pseudo-terminal (Python's `pty`) and returns the
    /// command line fish shows afterwards, with the whole transcript for a failure message. (`complete -C`
    /// cannot drive the script's custom completions in fish 3: they read the command line, which only an
    /// interactive fish has.) Each step waits for fish to say it is done — a marker it echoes — rather than
    /// for a fixed time: a fish slow to start on a loaded machine must not get the completion typed ahead.
    static func fish(_ line: String, script: URL, sandbox: Sandbox) async throws -> (shown: String, transcript: String) {
        let python = try #require(Subprocess.which("python3"), "python3 drives the pseudo-terminal")
        let driver = try sandbox.write("""
            import os, pty, select, sys, time
            fish, script, line = sys.argv[1:4]
            pid, fd = pty.fork()
            if pid == 0:
                os.execve(fish, [fish, "--no-config", "-i"], dict(os.environ, TERM="dumb"))
            transcript = b""
            def read_until(done, seconds):
                global transcript
                end = time.time() + seconds
                while time.time() < end:
                    ready, _, _ = select.select([fd], [], [], 0.1)
                    if ready:
                        try:
                            chunk = os.read(fd, 4096)
                        except OSError:
                            return False
                        if not chunk:
                            return False
                        transcript += chunk
                    if done(transcript.decode("utf-8", "replace")):
                        return True
                return False
            def fail(step):
                sys.stderr.write("fish: no %s within 120 s; transcript: %r\\n" % (step, transcript))
                os.write(fd, b"\\x03exit\\n")
                sys.exit(1)
            # The marker is typed with quotes inside, so only fish's output of it, not its echo, matches.
            os.write(fd, b"echo fish-RE''ADY\\n")
            read_until(lambda text: "fish-READY" in text, 120) or fail("prompt")
            os.write(fd, b"source " + script.encode() + b"; echo fish-SOU''RCED\\n")
            read_until(lambda text: "fish-SOURCED" in text, 120) or fail("sourced script")
            read_until(lambda text: False, 0.3)
            mark = len(transcript)
            os.write(fd, line.encode() + b"\\t")
            def shown():
                last = transcript[mark:].decode("utf-8", "replace").split("\\r")[-1]
                return last[last.find("authflow"):] if "authflow" in last else ""
            # The completion runs authflow, slow on a loaded machine: read until fish has put the
            # completed word and its space on the line — a line longer than what was typed, not one
            # fish is still echoing as it reads the typed keys.
            def completed(_):
                current = shown()
                return current.startswith(line) and len(current.rstrip()) > len(line.rstrip()) and current.endswith(" ")
            read_until(completed, 120) or fail("completion")
            read_until(lambda text: False, 0.5)
            result = shown()
            os.write(fd, b"\\x03exit\\n")
            read_until(lambda text: False, 1)
            sys.stdout.write(result)
            sys.stderr.write("transcript: %r\\n" % transcript)
            """, to: "fish-driver.py")
        let output = try await Subprocess.run(python, [driver.path, try shell("fish").path, script.path, line],
                                              environment: sandbox.environment, directory: sandbox.work, timeout: .seconds(420))
        return (String(decoding: output.stdout, as: UTF8.self), String(decoding: output.stderr, as: UTF8.self))
    }

    @Test("fish: a profile name completes", .enabled(if: runsHere("fish"), "fish is not installed (apt-get install fish)"), arguments: [("authflow env c", "authflow env ci "), ("authflow token -c other.yaml s", "authflow token -c other.yaml staging ")])
    func fishCompletes(line: String, completed: String) async throws {
        let (sandbox, script) = try await Self.sandbox("fish")
        let (shown, transcript) = try await Self.fish(line, script: script, sandbox: sandbox)
        #expect(shown == completed, "\(transcript)")
    }
}
