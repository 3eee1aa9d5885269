import Foundation
import Testing

/// Ctrl-C while authflow waits for the user in a second factor or a passwordless sign-in: at the
/// passcode prompt (echo off) or while it polls for a push. Driven on a real pseudo-terminal as
/// in `TerminalRestoreTests`: the process must end at once by SIGINT (the shell's convention, so a
/// script stops too), with the terminal as it was and nothing on stdout.
@Suite("Ctrl-C during a second factor or a passwordless sign-in", .serialized, .authorizationServers)
struct MFAInterruptTests {
    static let password = "grant:\n  type: password\n  username: \(GrantMFAFlowTests.user)\n  password: env:E2E_MFA_PASSWORD\n"

    @Test("Ctrl-C ends authflow by SIGINT, stdout empty, echo on", arguments: [
        ("at the MFA passcode prompt", password + "  mfa: {factor: otp}\n", "grant.mfa.otp: ", false),
        ("at the code prompt after an SMS", password + "  mfa: {factor: sms}\n", "grant.mfa.code: ", false),
        ("while polling for an MFA push", password + "  mfa: {factor: push}\n", "Waiting...", true),
        ("while polling for a passwordless push", "grant: {type: okta_oob, username: \(GrantMFAFlowTests.user)}\n", "Waiting...", true),
    ])
    func interrupt(_ what: String, grant: String, waitFor: String, echoStaysOn: Bool) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        sandbox.environment["E2E_MFA_PASSWORD"] = GrantMFAFlowTests.password
        try sandbox.write(ProfileYAML.file(["mfa": server.okta("default") + server.client() + grant + "scopes: [openid]\n"]))
        let report = try await PseudoTerminal.run(["token", "mfa"], in: sandbox, waitFor: waitFor, then: "INT")
        #expect(report.tty.contains(waitFor), "it got as far as \(what): \(report.tty)")
        #expect(report.echoWhilePrompting == echoStaysOn, "echo is off only while a code is typed: \(report.tty)")
        #expect(report.status == -2, "authflow ends by SIGINT \(what), as the shell expects: \(report)")
        #expect(report.stdout.isEmpty, "nothing on stdout: \(report.stdout)")
        #expect(report.echoIsOn, "stty -a after Ctrl-C \(what): \(report.stty)")
    }
}
