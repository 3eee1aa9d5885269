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
        result.expectFailure(69, "500", retries > 0 ? "after \(1 + retries) attempts" : "500: <html>")
        #expect(try await admin.requests().token_requests == 1 + retries)
        // Each retry is announced on stderr with its reason, one line each (stderr is not a terminal).
        #expect(result.retryNotices.count == retries, "\(result)")
        for (index, line) in result.retryNotices.enumerated() {
            #expect(line.hasPrefix("authflow: the server answered 500; retrying in ") && line.hasSuffix("(attempt \(index + 2) of \(retries + 1))"), "\(line)")
        }
    }

    @Test("500 once, then success: retried, and the retry is announced on stderr", arguments: ServerKind.withAdmin)
    func serverErrorThenSuccess(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status500")])
        let result = try await sandbox.run("token", "prod")
        #expect(result.exitCode == 0 && isB64Token(result.stdout.trimmingCharacters(in: .newlines)), "\(result)")
        #expect(try await admin.requests().token_requests == 2)
        #expect(result.stderrLines.count == 1 && result.retryNotices.first?.hasPrefix("authflow: the server answered 500; retrying in ") == true, "\(result)")
    }

    @Test("429 with Retry-After: 1, then success: waits as asked and says so", arguments: ServerKind.withAdmin)
    func rateLimitedThenSuccess(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status429", retry_after: "1")])
        let result = try await sandbox.run("header", "prod")
        #expect(result.exitCode == 0 && result.stdout.hasPrefix("Authorization: Bearer "), "\(result)")
        #expect(try await admin.requests().token_requests == 2)
        #expect(result.stderrLines == ["authflow: rate limited by the server (429); retrying in 1 s (as the server asked; attempt 2 of 3)"], "\(result)")
        #expect(result.duration >= .milliseconds(900), "Retry-After: 1 is honoured: \(result.duration)")
    }

    @Test("429 on every try: 69 naming what the server said — status, Retry-After, attempts, the body's first line", arguments: ServerKind.withAdmin)
    func rateLimited(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, extra: "retries: 1\n", faults: [Fault(mode: "status429", count: -1, retry_after: "0")])
        let result = try await sandbox.run("token", "prod")
        result.expectFailure(69, "the token endpoint answered 429 (Retry-After: 0) after 2 attempts: ", "E0000047", "API call exceeded rate limit")
        #expect(result.retryNotices == ["authflow: rate limited by the server (429); retrying in 0 ms (as the server asked; attempt 2 of 2)"], "\(result)")
        #expect(try await admin.requests().token_requests == 2)
    }

    @Test("503 with Retry-After: 1 once, then success: the wait is announced once, among the --verbose trace", arguments: ServerKind.withAdmin)
    func unavailableThenSuccess(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status503", retry_after: "1")])
        let result = try await sandbox.run("token", "prod", "--verbose")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.retryNotices == ["authflow: the server is unavailable (503); retrying in 1 s (as the server asked; attempt 2 of 3)"], "\(result)")
        #expect(try await admin.requests().token_requests == 2)
    }

    struct TerminalRun: Decodable {
        let status: Int
        let stdout: String
        let tty: String
    }

    @Test("on a terminal a wait is one line counting down, rewritten in place and cleared at the end", arguments: ServerKind.withAdmin)
    func countdownOnATerminal(kind: ServerKind) async throws {
        let (_, admin, sandbox) = try await prepare(kind, faults: [Fault(mode: "status429", retry_after: "2")])
        let python = try #require(Subprocess.which("python3"), "python3 drives the pseudo-terminal")
        let driver = PackageLayout.servers.appendingPathComponent("pty_stderr.py")
        var environment = sandbox.environment
        environment["TERM"] = "xterm"
        let output = try await Subprocess.run(python, [driver.path, try AuthFlowBinary.url().path, "token", "prod"],
                                              environment: environment, directory: sandbox.work, timeout: .seconds(60))
        let run = try JSONDecoder().decode(TerminalRun.self, from: output.stdout)
        #expect(run.status == 0 && isB64Token(run.stdout.trimmingCharacters(in: .newlines)), "\(run)")
        #expect(try await admin.requests().token_requests == 2)
        let rewrite = "\r\u{1B}[K"
        #expect(run.tty.hasPrefix(rewrite + "authflow: rate limited by the server (429); retrying in 2 s (as the server asked; attempt 2 of 3)"), "\(run.tty.debugDescription)")
        #expect(run.tty.hasSuffix(rewrite), "the countdown line is cleared at the end: \(run.tty.debugDescription)")
        #expect(!run.tty.contains("\n"), "one line rewritten, never a new line: \(run.tty.debugDescription)")
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
