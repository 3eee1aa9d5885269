import Foundation
import Testing

/// An unwell authorization server: 5xx, 429, broken bodies, redirects, hangs. Uses fault injection
/// and request counts, so the suite is serialized and has its own server.
@Suite("Server faults", .serialized, .authorizationServers)
struct ServerFaultTests {
    /// A fresh sandbox with profile `prod` (password grant at org, plus `extra` lines), the admin
    /// API reset and `faults` queued.
    func prepare(_ kind: ServerKind, extra: String = "", faults: [Fault]) async throws -> (any AuthorizationServerProcess, any ServerAdmin, Sandbox) {
        let server = try await ServerPool.server(kind)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile(extra: extra)]))
        try await admin.reset()
        for fault in faults { try await admin.inject(fault) }
        return (server, admin, sandbox)
    }

    @Test("500 on every try: 69 after exactly 1 + retries requests", arguments: ServerKind.withAdmin, [0, 2])
    func serverError(kind: ServerKind, retries: Int) async throws {
        let (_, admin, sandbox) = try await prepare(kind, extra: "retries: \(retries)\n", faults: [.every("status500")])
        let result = try await sandbox.run("env", "prod")
        result.expectFailure(69, "500")
        #expect(try await admin.requests().token_requests == 1 + retries)
    }

    @Test("500 once, then success: retried", arguments: ServerKind.withAdmin)
    func serverErrorThenSuccess(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status500")])
        let stdout = try await sandbox.run("token", "prod").expectSuccess()
        #expect(isB64Token(stdout.trimmingCharacters(in: .newlines)))
        #expect(try await admin.requests().token_requests == 2)
    }

    @Test("429 with Retry-After: 1, then success: waits and retries", arguments: ServerKind.withAdmin)
    func rateLimitedThenSuccess(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status429", retry_after: "1")])
        let result = try await sandbox.run("header", "prod")
        let stdout = result.expectSuccess()
        #expect(stdout.hasPrefix("Authorization: Bearer "))
        #expect(try await admin.requests().token_requests == 2)
        #expect(result.duration >= .milliseconds(900), "Retry-After: 1 is honoured: \(result.duration)")
    }

    @Test("429 on every try: 69", arguments: ServerKind.withAdmin)
    func rateLimited(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, extra: "retries: 1\n", faults: [Fault(mode: "status429", count: -1, retry_after: "0")])
        try await sandbox.run("token", "prod").expectFailure(69, "429")
        #expect(try await admin.requests().token_requests == 2)
    }

    struct BadAnswer: Sendable, CustomTestStringConvertible {
        let mode: String
        let exitCode: Int32
        /// Must appear in the error line.
        let fragment: String
        var testDescription: String { mode }
    }

    static let badAnswers = [
        BadAnswer(mode: "malformed_json", exitCode: 76, fragment: "JSON"),
        BadAnswer(mode: "html", exitCode: 76, fragment: "<!DOCTYPE html>"),  // the body's first line is shown
        BadAnswer(mode: "no_token_type", exitCode: 76, fragment: "token_type"),
        BadAnswer(mode: "unknown_token_type", exitCode: 76, fragment: "mac"),
        BadAnswer(mode: "empty401", exitCode: 77, fragment: "401"),
    ]

    @Test("a 200 that is not a token response (76), a bare 401 (77)", arguments: ServerKind.withAdmin, badAnswers)
    func badAnswer(kind: ServerKind, answer: BadAnswer) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [.every(answer.mode)])
        try await sandbox.run("env", "prod").expectFailure(answer.exitCode, answer.fragment)
        #expect(try await admin.requests().token_requests == 1, "not retried")
    }

    @Test("a redirect from the token endpoint is refused (76) and never followed", arguments: ServerKind.withAdmin)
    func redirect(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [.every("redirect")])
        try await sandbox.run("token", "prod").expectFailure(76, "302")
        let log = try await admin.requests()
        #expect(log.redirect_hits == 0, "the redirect target must never be requested")
        #expect(log.token_requests == 1)
    }

    @Test("a hanging server with timeout: 1s and retries: 0 gives 69 within a few seconds", arguments: ServerKind.withAdmin)
    func hang(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, extra: "timeout: 1s\nretries: 0\n", faults: [Fault(mode: "hang", seconds: 10)])
        let result = try await sandbox.run("env", "prod", timeout: .seconds(20))
        result.expectFailure(69)
        // The server hangs 10 s: finishing well before that shows the 1 s timeout ended the request
        // (the margin is for a loaded machine, not for authflow).
        #expect(result.duration < .seconds(9), "timeout: 1s should end the request: \(result.duration)")
        #expect(try await admin.requests().token_requests == 1)
    }

    @Test("a body trickled a byte a second does not outlast timeout: 2s — the deadline covers the whole exchange", arguments: ServerKind.withAdmin)
    func trickledBody(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, extra: "timeout: 2s\nretries: 0\n", faults: [Fault(mode: "trickle", seconds: 40)])
        let result = try await sandbox.run("env", "prod", timeout: .seconds(60))
        result.expectFailure(69, "no complete answer within 2 s")
        // The server trickles for 40 s: ending near 2 s shows the deadline stopped reading the body.
        #expect(result.duration < .seconds(15), "timeout: 2s should end the exchange: \(result.duration)")
        #expect(try await admin.requests().token_requests == 1)
    }
}
