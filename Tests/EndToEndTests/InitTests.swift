import Foundation
import Testing

/// `authflow init` end to end: by flags for scripts, and by questions on a real pseudo-terminal; the file
/// it writes passes `validate`, and an existing file is never replaced without --force (exit 73).
@Suite("init")
struct InitTests {
    static let oktaFlags = ["init", "--provider", "okta-custom", "--domain", "dev-123456.okta.com", "--client-id", "0oab8olIgVNOkztHm0h7"]

    @Test("flags only: nothing is asked; the file is commented, schema-annotated, and valid")
    func flags() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(Self.oktaFlags + ["--secret-env", "CI_SECRET", "--scopes", "api:read api:write", "--profile", "ci"])
        #expect(result.exitCode == 0 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr == "wrote authflow.yaml with profile 'ci'; check it with: authflow validate\n", "\(result)")
        let text = try String(contentsOf: sandbox.work.appendingPathComponent("authflow.yaml"), encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=https://"), "\(text)")
        #expect(text.contains("    domain: dev-123456.okta.com\n    auth_server: default\n"), "\(text)")
        #expect(text.contains("      secret: env:CI_SECRET\n") && text.contains("    grant: client_credentials\n") && text.contains("    scopes: [api:read, api:write]  "), "\(text)")
        let validate = try await sandbox.run("validate")
        #expect(validate.exitCode == 0 && validate.stdout == "authflow.yaml: ok, 1 profile: ci\n" && validate.stderr.isEmpty, "\(validate)")
        // The user wrote it with init, so it is trusted as written.
        let path = sandbox.work.appendingPathComponent("authflow.yaml").path
        #expect(try await sandbox.run("trust", "--list").stdout == "trusted\t\(path)\n")
    }

    @Test("every provider and grant by flags passes validate", arguments: [
        ["--provider", "okta-org", "--domain", "example.okta.com", "--client-id", "abc", "--grant", "client_credentials", "--secret", "file:~/.okta-secret"],
        ["--provider", "okta-custom", "--domain", "http://127.0.0.1:8080", "--client-id", "abc", "--grant", "password", "--username", "bob", "--secret", "none"],
        ["--provider", "oidc", "--issuer", "https://login.example.com/realms/main", "--client-id", "cli", "--grant", "refresh_token", "--refresh-token", "env:RT"],
        ["--issuer", "https://idp.example.com", "--client-id", "cli", "--secret", "command: [pass, show, idp/secret]"],
        ["--provider", "okta-custom", "--domain", "example.okta.com", "--client-id", "abc", "--grant", "password", "--username", "bob",
         "--secret", "keyring:okta/client-secret", "--password", "keyring:okta/bob"],
        ["--provider", "okta-org", "--domain", "example.okta.com", "--client-id", "abc", "--secret", "none", "--grant", "okta_otp", "--username", "bob@example.com"],
        ["--provider", "okta-custom", "--domain", "example.okta.com", "--client-id", "abc", "--secret", "none", "--grant", "okta_oob", "--username", "bob@example.com"],
    ])
    func everyKind(flags: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["init"] + flags + ["--output", "dev.yaml"], timeout: .seconds(30))
        #expect(result.exitCode == 0, "\(result)")
        let validate = try await sandbox.run("validate", "-c", "dev.yaml")
        #expect(validate.exitCode == 0 && validate.stdout.hasPrefix("dev.yaml: ok, 1 profile: dev"), "\(validate)")
    }

    @Test("-o - writes the file to stdout and nothing else")
    func stdout() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(Self.oktaFlags + ["-o", "-"])
        #expect(result.exitCode == 0 && result.stderr.isEmpty, "\(result)")
        #expect(result.stdout.hasPrefix("# yaml-language-server: ") && result.stdout.contains("profiles:\n  dev:\n"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.work.appendingPathComponent("authflow.yaml").path))
    }

    @Test("an existing file is not replaced (exit 73, file untouched); --force replaces it")
    func noOverwrite() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("# mine\n")
        let refused = try await sandbox.run(Self.oktaFlags)
        refused.expectFailure(73, "authflow.yaml already exists")
        #expect(refused.stderrLines.last == "hint: pass --force to replace it, or --output FILE to write elsewhere")
        #expect(try String(contentsOf: sandbox.work.appendingPathComponent("authflow.yaml"), encoding: .utf8) == "# mine\n")
        let forced = try await sandbox.run(Self.oktaFlags + ["--force"])
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(try String(contentsOf: sandbox.work.appendingPathComponent("authflow.yaml"), encoding: .utf8).contains("dev-123456.okta.com"))
    }

    @Test("bad or missing flags are usage errors (64) naming the flag; a pasted secret is not echoed")
    func usageErrors() async throws {
        let sandbox = try Sandbox()
        let missing = try await sandbox.run("init", "--domain", "example.okta.com", "--no-input")
        missing.expectFailure(64, "--client-id is missing")
        let http = try await sandbox.run(Self.oktaFlags.map { $0 == "dev-123456.okta.com" ? "http://example.com" : $0 })
        http.expectFailure(64, "--domain 'http://example.com'", "plain http:// is allowed only for loopback hosts")
        let bare = try await sandbox.run(Self.oktaFlags + ["--secret", "s3cr3t-value"])
        bare.expectFailure(64, "--secret: not a secret reference")
        #expect(!bare.stderr.contains("s3cr3t-value"))
        let setsid = try #require(Subprocess.which("setsid"), "setsid (util-linux) is needed to run without a terminal")
        let detached = try await Subprocess.run(setsid, ["--wait", try AuthFlowBinary.url().path, "init", "--domain", "example.okta.com"],
                                                environment: sandbox.environment, directory: sandbox.work)
        #expect(detached.status == 64, "\(String(decoding: detached.stderr, as: UTF8.self))")
        #expect(String(decoding: detached.stderr, as: UTF8.self).contains("--client-id missing, and there is no terminal to ask on"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.work.appendingPathComponent("authflow.yaml").path))
    }

    /// Runs `authflow init ARGS` on a pseudo-terminal (Python's `pty`), typing one answer per question.
    static func interactive(_ sandbox: Sandbox, arguments: [String], answers: [String]) async throws -> (status: Int32, transcript: String) {
        let python = try #require(Subprocess.which("python3"), "python3 drives the pseudo-terminal")
        let driver = try sandbox.write("""
            import os, pty, select, sys, time
            binary, answers = sys.argv[1], sys.argv[2].split("\\x1f") if sys.argv[2] else []
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(binary, [binary, "init"] + sys.argv[3:])
            transcript = b""
            def read(until, timeout=60):
                global transcript
                start, seen = time.time(), len(transcript)
                while time.time() - start < timeout:
                    ready, _, _ = select.select([fd], [], [], 0.1)
                    if ready:
                        try:
                            chunk = os.read(fd, 4096)
                        except OSError:
                            return False
                        if not chunk:
                            return False
                        transcript += chunk
                        if until(transcript[seen:]):
                            return True
                return False
            for answer in answers:
                if not read(lambda new: new.rstrip(b" ").endswith(b":")):
                    break
                os.write(fd, answer.encode() + b"\\n")
            read(lambda new: False, timeout=5)
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(transcript.decode("utf-8", "replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """, to: "pty-driver.py")
        let output = try await Subprocess.run(python, [driver.path, try AuthFlowBinary.url().path, answers.joined(separator: "\u{1f}")] + arguments,
                                              environment: sandbox.environment, directory: sandbox.work, timeout: .seconds(300))
        return (output.status, String(decoding: output.stdout, as: UTF8.self) + String(decoding: output.stderr, as: UTF8.self))
    }

    @Test("on a terminal: the questions are asked, a wrong answer is explained and asked again, and the file passes validate")
    func pseudoTerminal() async throws {
        let sandbox = try Sandbox()
        // provider, domain (wrong, then right), auth server, client id, secret, grant, username, password, scopes, profile name.
        let answers = ["okta-custom", "http://example.okta.com", "example.okta.com", "", "0oab8olIgVNOkztHm0h7", "env:OKTA_SECRET", "password", "testuser1@example.com", "", "", "work"]
        let (status, transcript) = try await Self.interactive(sandbox, arguments: [], answers: answers)
        #expect(status == 0, "\(transcript)")
        for question in ["Provider [okta-custom]:", "Okta domain", "Authorization server id [default]:", "Client ID:", "Client secret, as a reference",
                         "Grant (password, client_credentials, refresh_token, device_code, authorization_code, okta_otp, okta_oob) [client_credentials]:", "User name:", "Password, as a reference", "Scopes, space-separated, or none [openid profile]:", "Profile name [dev]:"] {
            #expect(transcript.contains(question), "not asked: \(question)\n\(transcript)")
        }
        #expect(transcript.contains("plain http:// is allowed only for loopback hosts"), "\(transcript)")
        let text = try String(contentsOf: sandbox.work.appendingPathComponent("authflow.yaml"), encoding: .utf8)
        #expect(text.contains("  work:\n") && text.contains("      username: testuser1@example.com\n") && text.contains("    scopes: [openid, profile]  "), "\(text)")
        let validate = try await sandbox.run("validate")
        #expect(validate.exitCode == 0 && validate.stdout.hasPrefix("authflow.yaml: ok, 1 profile: work"), "\(validate)")
    }

    @Test("on a terminal, flags given are not asked again")
    func pseudoTerminalWithFlags() async throws {
        let sandbox = try Sandbox()
        let (status, transcript) = try await Self.interactive(sandbox, arguments: ["--provider", "oidc", "--client-id", "cli", "--grant", "client_credentials"],
                                                              answers: ["https://login.example.com", "", "", ""])
        #expect(status == 0, "\(transcript)")
        #expect(!transcript.contains("Provider") && !transcript.contains("Client ID") && !transcript.contains("Grant ("), "\(transcript)")
        #expect(transcript.contains("Issuer URL"), "\(transcript)")
        let validate = try await sandbox.run("validate")
        #expect(validate.exitCode == 0, "\(validate)")
    }
}
