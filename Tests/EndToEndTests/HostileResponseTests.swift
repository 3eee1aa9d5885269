import Foundation
import Testing

/// A hostile server must not inject shell code, headers or terminal escapes (docs/reference/output.md:
/// server text and tokens are checked before they are shown). Serialized: the tests queue faults on a shared server.
@Suite("Hostile responses", .serialized, .authorizationServers)
struct HostileResponseTests {
    /// The `access_token` of the server's `shell_token` fault and the file it tries to create.
    static let shellToken = "abc';$(touch /tmp/pwned)'"
    static let pwnedFile = "/tmp/pwned"

    func prepare(_ kind: ServerKind, fault: String) async throws -> Sandbox {
        let server = try await ServerPool.server(kind)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile()]))
        try await admin.reset()
        try await admin.inject(.every(fault))
        return sandbox
    }

    @Test("a token with shell metacharacters: env quotes it, sh gets the exact value, nothing runs", arguments: ServerKind.withAdmin)
    func shellMetacharactersThroughEnv(kind: ServerKind) async throws {
        try? FileManager.default.removeItem(atPath: Self.pwnedFile)  // this test's own marker
        let sandbox = try await prepare(kind, fault: "shell_token")
        let stdout = try await sandbox.run("env", "prod").expectSuccess()

        let evaluated = try await sandbox.sh(#"eval "$out"; printf %s "$AUTHFLOW_ACCESS_TOKEN""#, variables: ["out": stdout])
        #expect(evaluated.status == 0, "\(String(decoding: evaluated.stderr, as: UTF8.self))")
        #expect(String(decoding: evaluated.stdout, as: UTF8.self) == Self.shellToken)
        #expect(!FileManager.default.fileExists(atPath: Self.pwnedFile), "the token's $(touch ...) ran")
        #expect(stdout.hasPrefix(#"export AUTHFLOW_ACCESS_TOKEN='abc'\'';$(touch /tmp/pwned)'\'''"#), "\(stdout)")
    }

    @Test("a token with shell metacharacters is not a b64token: header and raw refuse it (76)",
          arguments: ServerKind.withAdmin, [["header", "prod"], ["token", "prod"], ["token", "prod", "--format", "header"]])
    func shellMetacharactersRefused(kind: ServerKind, arguments: [String]) async throws {
        let sandbox = try await prepare(kind, fault: "shell_token")
        let result = try await sandbox.run(arguments)
        result.expectFailure(76, "b64token")
        #expect(!result.stderr.contains("touch /tmp/pwned"), "the refused value is not echoed")
    }

    @Test("dotenv cannot quote a single quote: 76", arguments: ServerKind.withAdmin)
    func shellMetacharactersDotenv(kind: ServerKind) async throws {
        let sandbox = try await prepare(kind, fault: "shell_token")
        try await sandbox.run("env", "prod", "--shell", "dotenv").expectFailure(76)
    }

    static let everyFormat: [[String]] = [
        ["token", "prod"], ["token", "prod", "--format", "json"], ["token", "prod", "--format", "header"],
        ["token", "prod", "--format", "env"], ["header", "prod"], ["env", "prod"],
        ["env", "prod", "--shell", "fish"], ["env", "prod", "--shell", "powershell"], ["env", "prod", "--shell", "dotenv"],
    ]

    @Test("a token with CRLF is refused by every format (76), nothing injected", arguments: ServerKind.withAdmin, everyFormat)
    func crlfToken(kind: ServerKind, arguments: [String]) async throws {
        let sandbox = try await prepare(kind, fault: "crlf_token")
        let result = try await sandbox.run(arguments)
        result.expectFailure(76, "control character")
        #expect(!result.stderr.contains("X-Injected"))
    }

    @Test("ESC and newlines in error_description never reach the terminal (77, one line)", arguments: ServerKind.withAdmin)
    func escapeInErrorDescription(kind: ServerKind) async throws {
        let sandbox = try await prepare(kind, fault: "esc_description")
        let result = try await sandbox.run("env", "prod")
        result.expectFailure(77, "invalid_grant", "red")
        #expect(!result.stderr.unicodeScalars.contains("\u{1B}"), "ESC byte on stderr: \(result.stderr.debugDescription)")
        #expect(!result.stderr.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
    }
}
