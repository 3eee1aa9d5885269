import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every place a token goes (docs/guides/integrations.md): exec, GitHub Actions, kubectl, git, curl and user formats,
/// each through the tool's own interface.
@Suite("Integrations", .authorizationServers)
struct IntegrationTests {
    let kind = ServerKind.authlib

    func sandbox(extra: String = "", formats: String = "") async throws -> Sandbox {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", extra: extra)]) + formats)
        return sandbox
    }

    func token(_ sandbox: Sandbox) async throws -> String {
        try await sandbox.run("token", "prod").expectSuccess().trimmingCharacters(in: .newlines)
    }

    @Test("exec: the child gets the token in its environment, its status passes through")
    func execStatusAndEnvironment() async throws {
        let sandbox = try await sandbox()
        let token = try await token(sandbox)
        let result = try await sandbox.run("exec", "prod", "--", "sh", "-c", #"printf '%s %s' "$AUTHFLOW_ACCESS_TOKEN" "$AUTHFLOW_PROFILE"; exit 7"#)
        #expect(result.exitCode == 7)
        #expect(result.stdout == "\(token) prod")
        let killed = try await sandbox.run("exec", "prod", "--", "sh", "-c", "kill -KILL $$")
        #expect(killed.exitCode == 128 + SIGKILL)
        try await sandbox.run("exec", "prod", "--", "no-such-command-xyz").expectFailure(127, "no-such-command-xyz")
    }

    @Test("exec: options between the profile and -- are exec's own; without -- every word is the command")
    func execOptionsAfterProfile() async throws {
        let sandbox = try await sandbox()
        let cached = try await token(sandbox)
        let print = #"printf '%s' "$AUTHFLOW_ACCESS_TOKEN""#
        #expect(try await sandbox.run("exec", "prod", "--", "sh", "-c", print).stdout == cached)
        // --no-cache after the profile is honoured: a new token, not the cached one.
        let fresh = try await sandbox.run("exec", "prod", "--no-cache", "--", "sh", "-c", print)
        #expect(fresh.exitCode == 0 && !fresh.stdout.isEmpty && fresh.stdout != cached, "\(fresh)")
        // Options before and after the profile combine; -v traces on stderr.
        let traced = try await sandbox.run("exec", "--refresh", "prod", "-v", "--min-ttl", "10m", "--", "sh", "-c", print)
        #expect(traced.exitCode == 0 && traced.stdout != cached && traced.stderr.contains("> POST "), "\(traced)")
        try await sandbox.run("exec", "prod", "--bogus", "--", "true").expectFailure(64, "--bogus")
        // The first word is not an option: all of it is the command, `--` included.
        let words = try await sandbox.run("exec", "prod", "sh", "-c", #"printf '%s|' "$@""#, "sh", "--", "-x")
        #expect(words.exitCode == 0 && words.stdout == "--|-x|", "\(words)")
    }

    @Test("exec: nothing runs when the token cannot be had")
    func execRefusesWithoutToken() async throws {
        let sandbox = try await sandbox()
        let marker = sandbox.root.appendingPathComponent("ran")
        let result = try await sandbox.run(["exec", "prod", "--", "touch", marker.path], env: ["E2E_PASSWORD": nil])
        result.expectFailure(78, "E2E_PASSWORD")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test("exec: SIGTERM to authflow reaches the child; the token is never in the child's argv")
    func execForwardsSignalsAndKeepsArgvClean() async throws {
        let sandbox = try await sandbox()
        let token = try await token(sandbox)
        let pidFile = sandbox.root.appendingPathComponent("child.pid"), trapped = sandbox.root.appendingPathComponent("trapped")
        let script = "echo $$ > '\(pidFile.path)'; trap 'echo TERM > \"\(trapped.path)\"; exit 42' TERM; while :; do sleep 0.05; done"
        let process = Process()
        process.executableURL = try AuthFlowBinary.url()
        process.arguments = ["exec", "prod", "--", "sh", "-c", script]
        process.environment = sandbox.environment
        process.currentDirectoryURL = sandbox.work
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Subprocess.launch(process)
        var childPID: Int32?
        for _ in 0..<200 where childPID == nil {
            try await Task.sleep(for: .milliseconds(25))
            childPID = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let pid = try #require(childPID, "the child never started")
        let argv = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        #expect(!String(decoding: argv, as: UTF8.self).contains(token), "the token must not be in argv")
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        #expect(String(decoding: environ, as: UTF8.self).contains("AUTHFLOW_ACCESS_TOKEN=\(token)"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 42)
        #expect((try? String(contentsOf: trapped, encoding: .utf8)) == "TERM\n")
    }

    @Test("GitHub Actions: masks first, then GITHUB_ENV blocks the runner parses back", arguments: [false, true])
    func githubActions(output: Bool) async throws {
        let sandbox = try await sandbox()
        let file = sandbox.root.appendingPathComponent(output ? "github_output" : "github_env")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("EXISTING=1\n".utf8))
        var arguments = ["env", "prod", "--shell", "github"]
        if output { arguments.append("--output") }
        let result = try await sandbox.run(arguments, env: [output ? "GITHUB_OUTPUT" : "GITHUB_ENV": file.path])
        let stdout = result.expectSuccess()
        let masks = stdout.split(separator: "\n")
        #expect(masks.count == 2 && masks.allSatisfy { $0.hasPrefix("::add-mask::") }, "\(stdout)")
        let values = try Self.parseRunnerFile(String(contentsOf: file, encoding: .utf8))
        #expect(values["EXISTING"] == "1", "appended, not truncated")
        let token = try #require(values["AUTHFLOW_ACCESS_TOKEN"])
        #expect(masks.first == "::add-mask::\(token)")
        #expect(values["AUTHFLOW_TOKEN_TYPE"] == "Bearer")
        #expect(values["AUTHFLOW_ID_TOKEN"].map { masks.contains("::add-mask::\($0)") } == true)
        let missing = try await sandbox.run("env", "prod", "--shell", "github")
        missing.expectFailure(64, "GITHUB_ENV")
    }

    /// The runner's file syntax: `NAME=value` lines and `NAME<<DELIM` ... `DELIM` blocks.
    static func parseRunnerFile(_ text: String) throws -> [String: String] {
        var values: [String: String] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst(), !line.isEmpty || !lines.isEmpty {
            if let range = line.range(of: "<<") {
                let name = String(line[..<range.lowerBound]), delimiter = line[range.upperBound...]
                var body: [Substring] = []
                while let next = lines.popFirst(), next != delimiter { body.append(next) }
                values[name] = body.joined(separator: "\n")
            } else if let equals = line.firstIndex(of: "=") {
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return values
    }

    @Test("kubectl: an ExecCredential in v1, or v1beta1 when KUBERNETES_EXEC_INFO asks")
    func execCredential() async throws {
        let sandbox = try await sandbox()
        let token = try await token(sandbox)
        for (info, version) in [(nil, "v1"), (#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"interactive":false}}"#, "v1beta1")] {
            let stdout = try await sandbox.run(["kubectl", "prod"], env: ["KUBERNETES_EXEC_INFO": info]).expectSuccess()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
            #expect(object["apiVersion"] as? String == "client.authentication.k8s.io/\(version)")
            #expect(object["kind"] as? String == "ExecCredential")
            let status = try #require(object["status"] as? [String: Any])
            #expect(status["token"] as? String == token)
            let expiry = try #require(status["expirationTimestamp"] as? String)
            #expect(ISO8601DateFormatter().date(from: expiry).map { $0 > Date() } == true)
        }
    }

    @Test("git: a real 'git credential fill' gets the token through the helper")
    func gitCredentialFill() async throws {
        let sandbox = try await sandbox(extra: "git: {username: x-access-token, host: git.example.com}\n")
        let token = try await token(sandbox)
        let git = try #require(Subprocess.which("git"), "git is needed")
        let binary = try AuthFlowBinary.url()
        var environment = sandbox.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        let helper = "!\(binary.path) git-credential -c \(sandbox.work.appendingPathComponent("authflow.yaml").path) prod"
        func fill(_ host: String) async throws -> ProcessOutput {
            let script = "printf 'protocol=https\\nhost=\(host)\\n\\n' | \"$0\" -c credential.helper= -c \"credential.helper=$1\" credential fill"
            return try await Subprocess.run(try #require(Subprocess.which("sh")), ["-c", script, git.path, helper], environment: environment, directory: sandbox.work)
        }
        let output = try await fill("git.example.com")
        let text = String(decoding: output.stdout, as: UTF8.self)
        #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        #expect(text.contains("username=x-access-token\n"))
        #expect(text.contains("password=\(token)\n"))
        // Another host gets nothing from this helper, so git has no credential to offer.
        let other = try await fill("evil.example.net")
        #expect(!String(decoding: other.stdout, as: UTF8.self).contains(token))
    }

    @Test("git: input lines with CR or NUL are refused")
    func gitCredentialRefusesHostileInput() async throws {
        let sandbox = try await sandbox()
        let sh = try #require(Subprocess.which("sh"))
        let binary = try AuthFlowBinary.url()
        let output = try await Subprocess.run(sh, ["-c", "printf 'protocol=https\\nhost=a\\rb\\n\\n' | \"$0\" git-credential prod get", binary.path],
                                              environment: sandbox.environment, directory: sandbox.work)
        #expect(output.status == 64)
        #expect(output.stdout.isEmpty)
    }

    @Test("curl: 'token --format curl | curl -K -' sends exactly the bearer header")
    func curlConfig() async throws {
        let sandbox = try await sandbox()
        let token = try await token(sandbox)
        let echo = try await PortFileProcess.start(name: "echo server", executable: try pythonExecutable(),
                                                   arguments: [PackageLayout.servers.appendingPathComponent("echo_server.py").path])
        let url = "http://127.0.0.1:\(echo.port)/"
        let curl = try #require(Subprocess.which("curl"), "curl is needed")
        let binary = try AuthFlowBinary.url()
        let script = "\"$0\" token prod --format curl | \"$1\" -s -K - \"$2\""
        let output = try await Subprocess.run(try #require(Subprocess.which("sh")), ["-c", script, binary.path, curl.path, url],
                                              environment: sandbox.environment, directory: sandbox.work)
        #expect(String(decoding: output.stdout, as: UTF8.self) == "Bearer \(token)")
        let piped = try await Subprocess.run(try #require(Subprocess.which("sh")), ["-c", "\"$0\" header prod | \"$1\" -s -H @- \"$2\"", binary.path, curl.path, url],
                                             environment: sandbox.environment, directory: sandbox.work)
        #expect(String(decoding: piped.stdout, as: UTF8.self) == "Bearer \(token)")
        await echo.stop()
    }

    @Test("user formats: each escaping mode, and a did-you-mean for an unknown field")
    func userFormats() async throws {
        let formats = """
            formats:
              netrc:
                template: "machine api login oauth2 password {{access_token}}\\n"
                escape: none
              vars:
                template: '{"t": {{access_token}}, "p": {{profile}}}'
                escape: json
              sh:
                template: "T={{access_token}}\\n"
                escape: shell

            """
        let sandbox = try await sandbox(formats: formats)
        let token = try await token(sandbox)
        #expect(try await sandbox.run("token", "prod", "--format", "netrc").expectSuccess() == "machine api login oauth2 password \(token)\n")
        let json = try await sandbox.run("token", "prod", "--format", "vars").expectSuccess()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(object == ["t": token, "p": "prod"])
        #expect(try await sandbox.run("token", "prod", "--format", "sh").expectSuccess() == "T='\(token)'\n")
        try await sandbox.run("token", "prod", "--format", "nope").expectFailure(64, "nope")
        let server = try await ServerPool.server(kind)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default")]) + "formats:\n  x:\n    template: \"{{acces_token}}\"\n    escape: none\n")
        let bad = try await sandbox.run("token", "prod", "--format", "x")
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("unknown field 'acces_token'") && bad.stderr.contains("did you mean 'access_token'?"), "\(bad)")
    }
}
