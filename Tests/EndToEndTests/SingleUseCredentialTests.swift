import Foundation
import Testing

/// A server that does its work and then loses the answer (the connection closes, or the answer
/// never comes before the timeout): a single-use credential — a rotating refresh token, an
/// `mfa_token` with its passcode — is not sent a second time, while a password or
/// client_credentials request, which the server can see twice without harm, is retried.
@Suite("Single-use credentials after a lost answer", .serialized, .authorizationServers)
struct SingleUseCredentialTests {
    /// A sandbox whose profile `prod` is a password grant with a refresh token (offline_access).
    func refreshingSandbox(_ server: any AuthorizationServerProcess, extra: String = "") throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "[openid, offline_access]", extra: extra)]))
        return sandbox
    }

    @Test("a refresh whose connection closes after the server rotated the token: sent once, 69, and the old refresh token is never sent again")
    func refreshConnectionClosed() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try refreshingSandbox(server)
        try await admin.reset()
        _ = try await sandbox.run("token", "prod").expectSuccessIgnoringStderr()

        try await admin.reset()
        try await admin.inject(Fault(mode: "lose_answer"))
        let result = try await sandbox.run("token", "prod", "--refresh")
        result.expectFailure(69, "the server closed the connection", "after the refresh token was sent", "does not send it again")
        #expect(result.stderr.contains("hint: the cached refresh token was set aside"), "\(result)")
        let log = try await admin.requests()
        #expect(log.token_requests == 1, "the refresh token was sent once")
        #expect(log.last?.form["grant_type"] == "refresh_token")

        // The next call signs in again with the password instead of replaying the old refresh token.
        try await admin.reset()
        _ = try await sandbox.run("token", "prod").expectSuccessIgnoringStderr()
        let next = try await admin.requests()
        #expect(next.token_requests == 1)
        #expect(next.last?.form["grant_type"] == "password")
    }

    @Test("a refresh answered only after the timeout: sent once, 69 naming the timeout")
    func refreshTimedOut() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try refreshingSandbox(server, extra: "timeout: 1s\nretries: 2\n")
        try await admin.reset()
        _ = try await sandbox.run("token", "prod").expectSuccessIgnoringStderr()

        try await admin.reset()
        try await admin.inject(Fault(mode: "lose_answer", seconds: 3))
        let result = try await sandbox.run("token", "prod", "--refresh")
        result.expectFailure(69, "within 1 s", "after the refresh token was sent")
        #expect(try await admin.requests().token_requests == 1, "retries: 2 does not apply to a refresh token that may have been used")
    }

    @Test("a refresh_token grant (a token from elsewhere) is not sent twice either")
    func refreshGrantFromProfile() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let first = try refreshingSandbox(server)
        _ = try await first.run("token", "prod").expectSuccessIgnoringStderr()
        // A refresh token obtained elsewhere: the one authflow cached for the first profile.
        let cache = first.root.appendingPathComponent("cache")
        let entry = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.path).first { $0.hasPrefix("token-") && $0.hasSuffix(".json") })
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: cache.appendingPathComponent(entry))) as? [String: Any]
        let refreshToken = try #require(object?["refreshToken"] as? String)

        let sandbox = try Sandbox(for: server)
        sandbox.environment["E2E_REFRESH_TOKEN"] = refreshToken
        try sandbox.write(ProfileYAML.file(["r": server.okta("default") + server.client() + "grant:\n  type: refresh_token\n  refresh_token: env:E2E_REFRESH_TOKEN\n"]))
        try await admin.reset()
        try await admin.inject(Fault(mode: "lose_answer"))
        try await sandbox.run("token", "r").expectFailure(69, "after the refresh token was sent")
        #expect(try await admin.requests().token_requests == 1)
    }

    @Test("mfa-otp whose answer is lost: the mfa_token and passcode are sent once, 69")
    func mfaPasscode() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        sandbox.environment["E2E_MFA_PASSWORD"] = GrantMFAFlowTests.password
        try sandbox.write(ProfileYAML.file(["mfa": server.okta("default") + server.client()
            + "grant:\n  type: password\n  username: \(GrantMFAFlowTests.user)\n  password: env:E2E_MFA_PASSWORD\n  mfa: {factor: otp, otp: env:E2E_OTP}\nscopes: [openid]\n"]))
        try await admin.reset()
        try await admin.inject(Fault(mode: "lose_answer", after: 1))  // the password request is answered (mfa_required)
        let result = try await sandbox.run(["token", "mfa"], env: ["E2E_OTP": GrantMFAFlowTests.totp()])
        result.expectFailure(69, "after the one-time passcode was sent")
        let log = try await admin.requests()
        #expect(log.token_requests == 2, "the password once, the passcode once")
        #expect(log.last?.form["grant_type"]?.hasSuffix("mfa-otp") == true)
    }

    @Test("password and client_credentials whose answer is lost are retried and succeed", arguments: ["password", "client_credentials"])
    func retriedWhenHarmless(grant: String) async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        let profile = grant == "password" ? server.passwordProfile("default")
            : server.okta("default") + server.client() + "grant: client_credentials\nscopes: [api:read]\n"
        try sandbox.write(ProfileYAML.file(["p": profile]))
        try await admin.reset()
        try await admin.inject(Fault(mode: "lose_answer"))
        let stdout = try await sandbox.run("token", "p").expectSuccessIgnoringStderr()
        #expect(isB64Token(stdout.trimmingCharacters(in: .newlines)))
        let log = try await admin.requests()
        #expect(log.token_requests == 2)
        #expect(log.last?.form["grant_type"] == grant)
    }
}
