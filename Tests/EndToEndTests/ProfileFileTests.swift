import Foundation
import Testing

/// Profile-file problems as the binary reports them (docs/guides/profiles.md): positions, carets, hints, exit 65.
@Suite("Profile file problems")
struct ProfileFileTests {
    /// Line 8, column 5: `scope` instead of `scopes`.
    static let misspelledScopes = """
        version: 1
        profiles:
          prod:
            domain: http://127.0.0.1:9
            client:
              id: abc
            grant: client_credentials
            scope: openid
        """

    @Test("unknown key 'scope': FILE:LINE:COL, the source line, a caret and did-you-mean, for every command",
          arguments: [["token", "prod"], ["env", "prod"], ["header", "prod"], ["validate"]])
    func unknownKey(arguments: [String]) async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.misspelledScopes)
        let result = try await sandbox.run(arguments)
        result.expectDiagnostic(file: "authflow.yaml", line: 8, column: 5, message: "unknown key 'scope'",
                                sourceLine: "    scope: openid", hint: "did you mean 'scopes'?")
        #expect(result.summaryLine?.contains("1 problem") == true, "\(result)")
    }

    @Test("every problem of a file is reported in one run")
    func allProblemsReported() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("""
            version: 1
            profiles:
              first:
                domain: http://127.0.0.1:9
                client: {id: abc}
                grant: client_credentials
                scope: openid
              second:
                domain: http://127.0.0.1:9
                client: {id: abc}
                grant: client_credentials
                retries: lots
            """)
        let result = try await sandbox.run("token", "second")
        #expect(result.exitCode == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("authflow.yaml:7:5: error: unknown key 'scope'"), "\(result)")
        #expect(result.stderr.contains("authflow.yaml:12:14: error: retries"), "\(result)")
        #expect(result.stderrLines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("hint: ") }.count == 2, "\(result)")
        #expect(result.summaryLine?.contains("2 problems") == true, "\(result)")
    }

    @Test("a bad version is refused with a clear message (65)")
    func unsupportedVersion() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.misspelledScopes.replacingOccurrences(of: "version: 1", with: "version: 2")
            .replacingOccurrences(of: "scope:", with: "scopes:"))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("authflow.yaml:1:10: error: "), "\(result)")
        #expect(result.stderr.contains("hint:"), "\(result)")
    }

    @Test("validate: exit 0 on a good file, nothing on stderr")
    func validateGoodFile() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.misspelledScopes.replacingOccurrences(of: "scope:", with: "scopes:"))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 0 && result.stderr.isEmpty, "\(result)")
    }

    @Test("a bare string in a secret field: 65 with the reference forms as hint")
    func bareSecret() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.misspelledScopes.replacingOccurrences(of: "    scope: openid", with: "    scopes: openid")
            .replacingOccurrences(of: "      id: abc", with: "      id: abc\n      secret: hunter2"))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("authflow.yaml:7:15: error: "), "\(result)")
        let hint = result.stderrLines.first { $0.contains("hint:") } ?? ""
        #expect(hint.contains("env:") && hint.contains("file:"), "\(result)")
    }

    @Test("unknown profile name: 66 listing the profiles")
    func unknownProfile() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.misspelledScopes.replacingOccurrences(of: "scope:", with: "scopes:"))
        let result = try await sandbox.run("token", "staging")
        result.expectFailure(66, "staging")
        #expect(result.stderrLines.last?.contains("prod") == true, "\(result)")
    }

    @Test("a mistyped subcommand: 64 with the closest command, also after global options and in a group")
    func mistypedSubcommand() async throws {
        let sandbox = try Sandbox()
        let typo = try await sandbox.run("tokn", "x")
        typo.expectFailure(64, "unknown command 'tokn'; did you mean 'token'?")
        #expect(typo.stderrLines.last?.contains("authflow --help") == true, "\(typo)")
        try await sandbox.run("-c", "f.yaml", "hedaer", "prod").expectFailure(64, "unknown command 'hedaer'; did you mean 'header'?")
        try await sandbox.run("cache", "cleer").expectFailure(64, "unknown command 'cleer' for 'authflow cache'; did you mean 'clear'?")
        let far = try await sandbox.run("zzzzzz")
        far.expectFailure(64, "unknown command 'zzzzzz'")
        #expect(!far.stderr.contains("did you mean"), "\(far)")
        #expect(try await sandbox.run("help", "token").exitCode == 0)
    }

    @Test("no profile file anywhere: 66")
    func noProfileFile() async throws {
        let sandbox = try Sandbox()
        var folder = sandbox.work
        while folder.path != "/" {  // the upward search must find nothing outside the sandbox either
            try #require(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("authflow.yaml").path),
                         "remove the stray \(folder.path)/authflow.yaml to run this test")
            folder.deleteLastPathComponent()
        }
        let result = try await sandbox.run("env", "prod")
        result.expectFailure(66, "no profile file")
    }

    @Test("-c naming a missing file: 66")
    func explicitFileMissing() async throws {
        let sandbox = try Sandbox()
        try await sandbox.run("env", "prod", "-c", "missing.yaml").expectFailure(66, "missing.yaml")
    }

    @Test("a YAML syntax error: 65 at libyaml's position")
    func syntaxError() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("version: 1\nprofiles:\n  prod: {domain: [unclosed\n")
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("authflow.yaml:"), "\(result)")
        #expect(result.stderr.contains("authflow: error: "), "\(result)")
    }
}
