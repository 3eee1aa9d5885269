import Foundation
import Testing

/// Which profile file is used (docs/guides/profiles.md: `-c`, `$AUTHFLOW_CONFIG`, `./authflow.yaml` or a parent's,
/// `~/.config/authflow/config.yaml`) and `${VAR}` expansion, checked by getting real tokens.
@Suite("Profile lookup and variables", .authorizationServers)
struct ProfileLookupTests {
    /// Each file holds one differently named profile, so a profile name proves which file was read:
    /// `explicit` in `conf/explicit.yaml`, `fromenv` in `conf/env.yaml`, `here` in `./authflow.yaml`,
    /// `user` in `$HOME/.config/authflow/config.yaml`.
    func sandboxWithEveryFile(_ server: any AuthorizationServerProcess) throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        let profile = server.passwordProfile(auth: .none, scopes: "openid")
        try sandbox.write(ProfileYAML.file(["explicit": profile]), to: "conf/explicit.yaml")
        try sandbox.write(ProfileYAML.file(["fromenv": profile]), to: "conf/env.yaml")
        try sandbox.write(ProfileYAML.file(["here": profile]))
        let userConfig = sandbox.home.appendingPathComponent(".config/authflow/config.yaml")
        try FileManager.default.createDirectory(at: userConfig.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ProfileYAML.file(["user": profile]).utf8).write(to: userConfig)
        return sandbox
    }

    func envFile(_ sandbox: Sandbox) -> String { sandbox.work.appendingPathComponent("conf/env.yaml").path }

    @Test("-c wins over AUTHFLOW_CONFIG, which wins over ./authflow.yaml", arguments: ServerKind.all)
    func precedence(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandboxWithEveryFile(server)
        let withEnv: [String: String?] = ["AUTHFLOW_CONFIG": envFile(sandbox)]

        try await sandbox.run("token", "explicit", "-c", "conf/explicit.yaml", env: withEnv).expectSuccess()
        try await sandbox.run("token", "explicit", "--config", sandbox.work.appendingPathComponent("conf/explicit.yaml").path).expectSuccess()
        try await sandbox.run("token", "fromenv", "-c", "conf/explicit.yaml", env: withEnv).expectFailure(66, "fromenv")
        try await sandbox.run("token", "fromenv", env: withEnv).expectSuccess()
        try await sandbox.run("token", "here", env: withEnv).expectFailure(66, "here")
        try await sandbox.run("token", "here").expectSuccess()
    }

    @Test("./authflow.yaml is found from a subfolder; ~/.config/authflow/config.yaml is the last resort", arguments: ServerKind.all)
    func upwardSearchAndUserConfig(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandboxWithEveryFile(server)
        let deeper = sandbox.work.appendingPathComponent("src/app", isDirectory: true)
        try FileManager.default.createDirectory(at: deeper, withIntermediateDirectories: true)
        try await sandbox.run("token", "here", in: deeper).expectSuccess()
        try await sandbox.run("token", "user", in: deeper).expectFailure(66, "user")

        try FileManager.default.removeItem(at: sandbox.work.appendingPathComponent("authflow.yaml"))
        try await sandbox.run("token", "user", in: deeper).expectSuccess()
    }

    @Test("${VAR} and ${VAR:-default} in domain", arguments: ServerKind.all)
    func variableExpansion(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try Sandbox(for: server)
        let port = try #require(server.baseURL.port)
        let rest = server.client(.none) + server.passwordGrant()
        try sandbox.write(ProfileYAML.file([
            "set": "domain: http://127.0.0.1:${E2E_PORT}\n" + rest,
            "fallback": "domain: ${E2E_DOMAIN:-http://127.0.0.1:\(port)}\n" + rest,
            "unset": "domain: http://${E2E_NOT_SET}\n" + rest,
        ]))

        try await sandbox.run("token", "set", env: ["E2E_PORT": String(port)]).expectSuccess()
        try await sandbox.run("token", "fallback").expectSuccess()
        // A set variable wins over the default: this one points at a closed port.
        try await sandbox.run("token", "fallback", env: ["E2E_DOMAIN": "http://127.0.0.1:\(try closedLoopbackPort())"])
            .expectFailure(69)

        let unset = try await sandbox.run("token", "unset")
        #expect(unset.exitCode == 65 && unset.stdout.isEmpty, "\(unset)")
        #expect(unset.stderr.contains("authflow.yaml:20:"), "the error is located: \(unset)")
        #expect(unset.stderr.contains("E2E_NOT_SET") && unset.stderr.contains("hint:"), "\(unset)")
        #expect(!unset.stderr.contains("profile 'set'") && !unset.stderr.contains("profile 'fallback'"), "only the profile in use fails")
    }
}
