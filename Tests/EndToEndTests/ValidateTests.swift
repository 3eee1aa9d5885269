import Foundation
import Testing

/// `authflow validate` end to end: every problem with position, caret and hint, the reviewer's warnings
/// and notes (which never fail validation), `--json` for CI annotations, and the committed JSON Schemas.
/// Golden files: `Tests/AuthFlowCoreTests/Fixtures/golden/validate-*`; `AUTHFLOW_UPDATE_GOLDEN=1` rewrites them.
@Suite("validate")
struct ValidateTests {
    static let fixtures = PackageLayout.root.appendingPathComponent("Tests/AuthFlowCoreTests/Fixtures")

    /// A sandbox holding the golden input as `authflow.yaml`, in a git repository, next to a secret file anyone can read.
    static func severalProblems() throws -> Sandbox {
        let sandbox = try Sandbox()
        let text = try String(contentsOf: fixtures.appendingPathComponent("validate/several-problems.yaml"), encoding: .utf8)
        try sandbox.write(text)
        try FileManager.default.createDirectory(at: sandbox.work.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let secret = try sandbox.write("not a real secret\n", to: "client-secret.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        return sandbox
    }

    /// Compares `actual` (with the sandbox's folder written as `$WORK`) with the golden file `name`.
    static func expectGolden(_ actual: String, _ name: String, sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let normalized = actual.replacingOccurrences(of: sandbox.work.path, with: "$WORK")
        let url = fixtures.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["AUTHFLOW_UPDATE_GOLDEN"] == "1" {
            try Data(normalized.utf8).write(to: url)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(normalized == golden, "differs from golden/\(name) (AUTHFLOW_UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
    }

    @Test("a file with several problems: errors, warnings and a note, in file order, each with caret and hint (exit 65)")
    func goldenText() async throws {
        let sandbox = try Self.severalProblems()
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65 && result.stdout.isEmpty, "\(result)")
        try Self.expectGolden(result.stderr, "validate-several-problems.txt", sandbox: sandbox)
        #expect(!result.stderr.contains("not-so-secret"), "a literal: secret is never shown")
        #expect(result.summaryLine == "authflow: error: authflow.yaml has 5 problems")
    }

    @Test("--json: the same problems as an array on stdout, for CI annotations (exit 65)")
    func goldenJSON() async throws {
        let sandbox = try Self.severalProblems()
        let result = try await sandbox.run("validate", "--json")
        #expect(result.exitCode == 65, "\(result)")
        try Self.expectGolden(result.stdout, "validate-several-problems.json", sandbox: sandbox)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 11)
        #expect(items.allSatisfy { Set($0.keys) == ["file", "line", "column", "severity", "message", "hint"] })
        #expect(Set(items.compactMap { $0["severity"] as? String }) == ["error", "warning", "note"])
        #expect(result.stderrLines == ["authflow: error: authflow.yaml has 5 problems", "hint: each one is in the JSON on stdout"])
    }

    @Test("warnings and notes alone do not fail validation: exit 0, the ok line counts them")
    func warningsOnly() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("""
            version: 1
            profiles:
              prod:
                domain: example.okta.com
                client: {id: abc}
                grant: {type: password, username: bob, password: prompt}
                scopes: [openid]
            """)
        let text = try await sandbox.run("validate")
        #expect(text.exitCode == 0, "\(text)")
        #expect(text.stdout == "authflow.yaml: ok, 1 profile: prod (1 warning)\n")
        #expect(text.stderr.hasPrefix("authflow.yaml:6:19: warning: profile 'prod' uses the password grant"), "\(text)")
        let json = try await sandbox.run("validate", "--json")
        #expect(json.exitCode == 0 && json.stderr.isEmpty, "\(json)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 1 && items.first?["severity"] as? String == "warning" && items.first?["line"] as? Int == 6)
    }

    @Test("--json on a clean file: an empty array")
    func cleanJSON() async throws {
        let sandbox = try Sandbox()
        try sandbox.write("version: 1\nprofiles:\n  ci:\n    token_url: https://idp.example.com/token\n    client: {id: abc, secret: env:S}\n    grant: client_credentials\n")
        let result = try await sandbox.run("validate", "--json")
        #expect(result.exitCode == 0 && result.stdout == "[]\n" && result.stderr.isEmpty, "\(result)")
    }

    @Test("examples/authflow.yaml is valid (its notes are warnings)")
    func example() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run("validate", "-c", PackageLayout.root.appendingPathComponent("examples/authflow.yaml").path)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains(": ok, "), "\(result)")
    }

    @Test("the committed JSON Schemas are what `authflow schema` generates", arguments: [("authflow", "authflow.schema.json"), ("serve", "serve.schema.json")])
    func schemaFiles(kind: String, file: String) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run("schema", kind)
        #expect(result.exitCode == 0, "\(result)")
        let url = PackageLayout.root.appendingPathComponent("schemas/\(file)")
        if ProcessInfo.processInfo.environment["AUTHFLOW_UPDATE_SCHEMA"] == "1" {
            try Data(result.stdout.utf8).write(to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == result.stdout,
                "schemas/\(file) is stale: authflow schema \(kind) > schemas/\(file), or AUTHFLOW_UPDATE_SCHEMA=1 swift test --filter ValidateTests")
    }
}
