import Foundation
import Testing

/// A hostile server that echoes the request back: in an error description (the Basic header's
/// base64, the form-encoded password), or in unknown members of a real token response. Every
/// encoding authflow itself produced is scrubbed from what it shows, and none is stored or printed.
extension SentinelLeakTests {
    @Test("a server echoing the request in its error: 77 on every command, no encoding of either sentinel anywhere",
          arguments: ServerKind.withAdmin, [Source.env, Source.file])
    func echoedInError(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        try await Self.withFault(.every("echo_error"), at: try server.requireAdmin()) {
            let probe = try Probe()
            // Characters that form- and percent-encoding change, so each echo differs from the raw value.
            let clientSecret = Sentinel.clientSecret + " +/@&=é", password = Sentinel.password + " +/@&=é"
            let secret = try probe.reference("client_secret", clientSecret, via: source)
            let passwordReference = try probe.reference("password", password, via: source)
            try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: passwordReference)]))
            let needles = Self.clientSecretNeedles("the sentinel client secret", clientID: server.fixture.clientID, clientSecret)
                + Self.needles("the sentinel password", password) + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
            try await expectRefusedEverywhere(probe, "prod", exitCode: 77, trace: true, needles: needles)
        }
    }

    @Test("a token response echoing the request in unknown members: the real secrets are in no output, trace or cache file",
          arguments: ServerKind.withAdmin)
    func echoedInSuccess(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        try await Self.withFault(.every("echo_success"), at: try server.requireAdmin()) {
            let probe = try Probe()
            let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: .env)
            let password = try probe.reference("password", server.fixture.password, via: .env)
            try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
            for arguments in [["token", "--verbose", "prod", "--format", "json"], ["token", "--verbose", "--no-cache", "prod", "--format", "json"]] {
                let result = try await probe.sandbox.run(arguments)
                #expect(result.exitCode == 0, "\(result)")
                // The echo was there to be caught: the trace shows the member, and stdout does not.
                #expect(result.stderr.contains("debug_request"), "the trace shows the response; \(result)")
                #expect(!result.stdout.contains("debug_request") && !result.stdout.contains("\"echo\""), "\(result)")
                probe.expectNoLeak(Self.realNeedles(server.fixture), after: result)
            }
        }
    }

    /// Runs `body` with `fault` queued at the suite's server, and leaves the server clean however it ends.
    static func withFault(_ fault: Fault, at admin: any ServerAdmin, _ body: () async throws -> Void) async throws {
        try await admin.reset()
        try await admin.inject(fault)
        do {
            try await body()
        } catch {
            try? await admin.reset()
            throw error
        }
        try await admin.reset()
    }
}
