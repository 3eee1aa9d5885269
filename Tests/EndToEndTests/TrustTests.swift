import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Trust for repository profile files (docs/guides/trust.md): an `authflow.yaml` found by the upward
/// search is used only once `authflow trust` recorded its exact content at its path.
@Suite("Trusted repository profiles", .authorizationServers)
struct TrustTests {
    /// A hostile repository file: an attacker's endpoint, secrets from the user's files and
    /// environment, a command that would leave `marker` behind if it ever ran, and an escape sequence.
    func hostileFile(marker: URL) -> String {
        ProfileYAML.file([
            "prod": """
                domain: ${E2E_EXFIL:-127.0.0.1:9}
                auth_server: default
                client:
                  id: stolen
                  secret: env:AWS_SECRET_ACCESS_KEY
                grant:
                  type: password
                  username: me
                  password: file:~/.ssh/id_ed25519
                """,
            "ci": """
                token_url: http://127.0.0.1:9/token
                client:
                  id: ci
                  secret:
                    command: [sh, -c, "touch \(marker.path)", "\\e[2J"]
                grant: client_credentials
                """,
        ])
    }

    /// Exit 65, empty stdout, and stderr that says why and shows what the file would do.
    func expectRefused(_ result: RunResult, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 65, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout must stay empty; \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("authflow: error: ") && result.stderr.contains(message), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("hint: if that is what you expect, run: authflow trust "), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("an untrusted repository file is refused by every command that gets a token, and lists what it would do")
    func untrustedFileIsRefused() async throws {
        let sandbox = try Sandbox()
        let marker = sandbox.root.appendingPathComponent("command-ran")
        try sandbox.write(hostileFile(marker: marker), trusted: false)
        let nested = sandbox.work.appendingPathComponent("src/deep", isDirectory: true)
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let commands: [[String]] = [
            ["env", "prod"], ["header", "prod"], ["token", "ci"], ["token", "--format", "json", "ci"], ["exec", "ci", "--", "true"],
            ["kubectl", "ci"], ["inspect", "prod"], ["revoke", "ci"], ["introspect", "ci", "--token", "x.y.z"], ["verify", "ci"],
        ]
        for arguments in commands {
            let result = try await sandbox.run(arguments, in: nested)
            expectRefused(result, "authflow.yaml is not trusted")
            for shown in ["domain: ${E2E_EXFIL:-127.0.0.1:9} (profile 'prod')", "http://127.0.0.1:9/token (profile 'ci')",
                          "env:AWS_SECRET_ACCESS_KEY (profile 'prod': client.secret)", "file:~/.ssh/id_ed25519 (profile 'prod': grant.password)",
                          "run commands:\n    command: [sh, -c, touch \(marker.path), [2J] (profile 'ci': client.secret)",
                          "read environment variables:\n    E2E_EXFIL"] {
                #expect(result.stderr.contains(shown), "'\(shown)' missing; \(result)")
            }
            #expect(!result.stderr.contains("\u{1b}"), "the file's escape sequence must not reach the terminal")
        }
        // git asks on stdin, as it does for real.
        let binary = try AuthFlowBinary.url().path
        let git = try await sandbox.sh("cd src/deep && printf 'protocol=https\\nhost=example.com\\n\\n' | '\(binary)' git-credential ci get")
        let gitErrors = String(decoding: git.stderr, as: UTF8.self)
        #expect(git.status == 65 && git.stdout.isEmpty && gitErrors.contains("authflow.yaml is not trusted") && gitErrors.contains("touch \(marker.path)"), "\(gitErrors)")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a command: secret of an untrusted file ran")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("cache").path), "nothing is cached for an untrusted file")
    }

    @Test("validate and profiles read an untrusted file; trust makes it usable; an edit or a move makes it untrusted again")
    func trustLifecycle() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let text = ProfileYAML.file(["prod": server.passwordProfile("default")])
        let file = try sandbox.write(text, trusted: false)

        let validate = try await sandbox.run("validate")
        #expect(validate.exitCode == 0 && validate.stdout.hasPrefix("authflow.yaml: ok, 1 profile: prod"), "\(validate)")
        let profiles = try await sandbox.run("profiles")
        #expect(profiles.exitCode == 0 && profiles.stdout.contains("prod"), "\(profiles)")
        #expect(profiles.stderr.contains("authflow.yaml is not trusted"), "\(profiles)")
        expectRefused(try await sandbox.run("header", "prod"), "is not trusted")

        let trusted = try await sandbox.run("trust")
        #expect(trusted.exitCode == 0 && trusted.stdout == "trusted \(file.path)\n", "\(trusted)")
        #expect(trusted.stderr.contains("would, once trusted:") && trusted.stderr.contains("env:E2E_PASSWORD"), "trust shows what it trusts; \(trusted)")
        let header = try await sandbox.run("header", "prod").expectSuccess()
        #expect(header.hasPrefix("Authorization: Bearer "))
        #expect(try await sandbox.run("profiles").stderr.isEmpty)

        // Private state: the folder 0700, each record 0600.
        let state = sandbox.home.appendingPathComponent(".local/state/authflow")
        #expect(mode(state) == 0o700)
        let records = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.hasPrefix("trusted-") }
        #expect(records.count == 1 && records.allSatisfy { mode(state.appendingPathComponent($0)) == 0o600 }, "\(records)")

        // A comment keeps the cache key, so only the trust check stands between the edit and the cached token.
        try Data((text + "# one more line\n").utf8).write(to: file)
        expectRefused(try await sandbox.run("header", "prod"), "authflow.yaml changed since you trusted it")
        expectRefused(try await sandbox.run("env", "prod"), "changed since you trusted it")
        try await sandbox.run("trust", "authflow.yaml").expectSuccessOnStdout("trusted \(file.path)\n")
        #expect(try await sandbox.run("header", "prod").expectSuccess() == header, "the cached token again, after trusting the edit")

        // The same bytes somewhere else are another file: trust is for a path.
        let copy = try sandbox.write(text + "# one more line\n", to: "elsewhere/authflow.yaml", trusted: false)
        expectRefused(try await sandbox.run("header", "prod", in: copy.deletingLastPathComponent()), "is not trusted")

        let list = try await sandbox.run("trust", "--list")
        #expect(list.exitCode == 0 && list.stdout == "trusted\t\(file.path)\n", "\(list)")
        try FileManager.default.removeItem(at: file)
        #expect(try await sandbox.run("trust", "--list").stdout == "missing\t\(file.path)\n")
        try sandbox.write(text, trusted: false)
        #expect(try await sandbox.run("trust", "--list").stdout == "changed\t\(file.path)\n")
        let untrust = try await sandbox.run("untrust")
        #expect(untrust.exitCode == 0 && untrust.stdout == "no longer trusted: \(file.path)\n", "\(untrust)")
        #expect(try await sandbox.run("trust", "--list").stdout.isEmpty)
        #expect(try await sandbox.run("untrust").stdout == "\(file.path) was not trusted\n")
    }

    @Test("-c, AUTHFLOW_CONFIG and the user's config folder are the user's choice: no trust needed")
    func userChosenFilesNeedNoTrust() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let text = ProfileYAML.file(["prod": server.passwordProfile("default")])
        try sandbox.write(text, to: "conf/mine.yaml", trusted: false)
        try await sandbox.run("header", "prod", "-c", "conf/mine.yaml").expectSuccess()
        try await sandbox.run("header", "prod", "--no-cache", env: ["AUTHFLOW_CONFIG": "conf/mine.yaml"]).expectSuccess()
        let userConfig = sandbox.home.appendingPathComponent(".config/authflow/config.yaml")
        try FileManager.default.createDirectory(at: userConfig.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: userConfig)
        try await sandbox.run("header", "prod", "--no-cache").expectSuccess()
    }

    @Test("trust refuses an invalid file, and a missing one; records in an unsafe state folder prove nothing")
    func trustFailures() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("version: 1\nprofiles:\n  prod:\n    domian: example.okta.com\n", trusted: false)
        let invalid = try await sandbox.run("trust")
        #expect(invalid.exitCode == 65 && invalid.stdout.isEmpty && invalid.stderr.contains("authflow.yaml:4:5: error: unknown key 'domian'"), "\(invalid)")
        try await sandbox.run("trust", "nowhere.yaml").expectFailure(66, "nowhere.yaml")
        try await sandbox.run("trust", "--list", "x.yaml").expectFailure(64, "--list takes no FILE")
        try FileManager.default.removeItem(at: sandbox.work.appendingPathComponent("authflow.yaml"))
        try await sandbox.run("trust").expectFailure(66, "no authflow.yaml in the current folder or a parent folder")

        // A world-writable state folder: someone else could have planted the record.
        try sandbox.write(ProfileYAML.file(["prod": "token_url: http://127.0.0.1:9/token\nclient:\n  id: x\ngrant: client_credentials\n"]))
        let state = sandbox.home.appendingPathComponent(".local/state/authflow")
        chmod(state.path, 0o777)
        try await sandbox.run("header", "prod").expectFailure(73, "the state folder", "is writable by others")
    }

    func mode(_ url: URL) -> mode_t {
        var info = stat()
        stat(url.path, &info)
        return info.st_mode & 0o777
    }
}

extension RunResult {
    /// Exit 0 with exactly `stdout`; stderr (trust's summary) is not checked.
    func expectSuccessOnStdout(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(exitCode == 0 && stdout == expected, "\(self)", sourceLocation: sourceLocation)
    }
}
