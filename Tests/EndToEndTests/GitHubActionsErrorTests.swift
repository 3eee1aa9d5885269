import Foundation
import Testing

/// Inside GitHub Actions a stderr line starting with `::` is a workflow command. A hostile server's
/// error text must never become one: it is folded into authflow's own prefixed line.
@Suite("GitHub Actions errors", .serialized, .authorizationServers)
struct GitHubActionsErrorTests {
    @Test("server text with a newline and escapes never starts a stderr line")
    func serverTextCannotIssueWorkflowCommands() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile()]))
        try await admin.reset()
        try await admin.inject(.every("esc_description"))
        let envFile = sandbox.root.appendingPathComponent("github_env")
        _ = FileManager.default.createFile(atPath: envFile.path, contents: nil)
        let result = try await sandbox.run(["env", "prod", "--shell", "github", "--verbose"], env: ["GITHUB_ACTIONS": "true", "GITHUB_ENV": envFile.path])
        #expect(result.exitCode == 77)
        #expect(result.stdout.isEmpty)
        for line in result.stderrLines {
            #expect(!line.hasPrefix("::") && !line.contains("\u{1b}"), "\(line)")
            #expect(["authflow: ", "hint: ", "> ", "< ", "! "].contains { line.hasPrefix($0) }, "unprefixed stderr line: \(line)")
        }
        #expect(try Data(contentsOf: envFile).isEmpty, "nothing is appended on failure")
        try await admin.reset()
    }
}
