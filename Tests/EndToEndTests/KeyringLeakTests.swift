import Foundation
import Testing

/// The sentinel leak checks (see `SentinelLeakTests`) for secrets held in the OS keychain: a client
/// secret and password read through `keyring:`, and refresh tokens kept there with
/// `cache.refresh_token: keyring`. With `--verbose` on every command, the values appear nowhere:
/// not in stdout, stderr, the trace, any file under the cache folder or HOME, nor a child's argv or
/// environment.
@Suite("Sentinel secrets in the keychain never leak", .serialized, .authorizationServers,
       .enabled(if: KeyringSession.runsHere, "needs dbus-daemon, gnome-keyring-daemon and secret-tool (.ci/run installs them)"))
struct KeyringLeakTests {
    typealias Needle = SentinelLeakTests.Needle
    typealias Sentinel = SentinelLeakTests.Sentinel

    /// A probe whose authflow reaches `session`'s Secret Service.
    func probe(_ session: KeyringSession) throws -> SentinelLeakTests.Probe {
        let probe = try SentinelLeakTests.Probe()
        probe.sandbox.environment.merge(session.environment) { $1 }
        return probe
    }

    @Test("a wrong (sentinel) client secret and password held in the keychain: 77 on every command, the sentinels nowhere", arguments: ServerKind.all)
    func wrongSecretsFromKeychain(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let session = try await KeyringSession()
        defer { session.stop() }
        let probe = try probe(session)
        try await session.store(Sentinel.clientSecret, service: "leak", account: "client-secret")
        _ = try await probe.sandbox.run(["keyring", "set", "leak/password"], stdin: Sentinel.password + "\n").expectSuccess()
        try probe.sandbox.write(ProfileYAML.file(["prod": SentinelLeakTests.passwordProfile(server, secret: "keyring:leak/client-secret", password: "keyring:leak/password")]))
        let needles = SentinelLeakTests.clientSecretNeedles("the sentinel client secret", clientID: server.fixture.clientID, Sentinel.clientSecret)
            + SentinelLeakTests.needles("the sentinel password", Sentinel.password) + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await SentinelLeakTests().expectRefusedEverywhere(probe, "prod", exitCode: 77, trace: true, needles: needles)
        let names = try await probe.sandbox.run("keyring", "list")
        #expect(names.expectSuccess() == "leak/password\n")
        probe.expectNoLeak(needles, after: names)
    }

    @Test("real secrets from the keychain and a refresh token kept there: every command, a refresh and a revocation leak none of them")
    func refreshTokenFromKeychain() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let session = try await KeyringSession()
        defer { session.stop() }
        let probe = try probe(session)
        try await session.store(server.fixture.clientSecret, service: "leak", account: "client-secret")
        try await session.store(server.fixture.password, service: "leak", account: "password")
        try probe.sandbox.write(ProfileYAML.file(["prod": SentinelLeakTests.passwordProfile(server, secret: "keyring:leak/client-secret", password: "keyring:leak/password",
                                                                                              extra: "retries: 0\ncache: {refresh_token: keyring}\n")]))
        var needles = SentinelLeakTests.realNeedles(server.fixture)
        let first = try await probe.sandbox.run("token", "--verbose", "prod")
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.stderr.contains("POST"), "--verbose printed no trace; \(first)")
        let entry = try #require(SentinelLeakTests.Probe.files(under: probe.cacheFolder).first { $0.lastPathComponent.hasPrefix("token-") && $0.pathExtension == "json" })
        let account = entry.deletingPathExtension().lastPathComponent
        let refreshToken = try #require(try await session.lookup("authflow", account))
        needles += SentinelLeakTests.needles("the refresh token held in the keychain", refreshToken)
        probe.expectNoLeak(needles, after: first)
        for arguments in probe.tokenCommands("prod") {
            let result = try await probe.sandbox.run(arguments)
            #expect(result.exitCode == 0, "\(result)")
            probe.expectNoLeak(needles, after: result)
        }
        // Expired: the refresh request carries the keychain's refresh token; the trace must redact it.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry)) as? [String: Any])
        object["expiresAt"] = Date().timeIntervalSince1970 - 10
        try JSONSerialization.data(withJSONObject: object).write(to: entry)
        let refreshed = try await probe.sandbox.run("token", "--verbose", "prod")
        #expect(refreshed.exitCode == 0 && refreshed.stderr.contains("refresh_token"), "a refresh, traced; \(refreshed)")
        let rotated = try #require(try await session.lookup("authflow", account))
        needles += SentinelLeakTests.needles("the rotated refresh token held in the keychain", rotated)
        probe.expectNoLeak(needles, after: refreshed)
        let revoked = try await probe.sandbox.run("revoke", "--verbose", "prod")
        #expect(revoked.exitCode == 0 && revoked.stderr.contains("POST"), "\(revoked)")
        probe.expectNoLeak(needles, after: revoked)
        #expect(try await session.lookup("authflow", account) == nil)
    }
}
