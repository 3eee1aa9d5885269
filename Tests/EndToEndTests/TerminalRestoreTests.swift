import Foundation
import Testing

/// A `prompt` secret turns echo off; a signal in the middle must not leave the user's terminal that
/// way. Driven on a real pseudo-terminal: the driver waits for the prompt, interrupts, then runs
/// `stty -a` on the same terminal.
@Suite("Terminal restored after a signal at a prompt")
struct TerminalRestoreTests {
    static let profile = """
        version: 1
        profiles:
          prod:
            domain: http://127.0.0.1:9
            client: {id: a}
            grant: {type: password, username: bob, password: prompt}
        """

    @Test("Ctrl-C (SIGINT), SIGTERM and SIGHUP at a password prompt leave echo on and end the process by that signal",
          arguments: [("INT", 2), ("TERM", 15), ("HUP", 1)])
    func echoComesBack(signal: String, number: Int) async throws {
        let sandbox = try Sandbox()
        try sandbox.write(Self.profile)
        let report = try await PseudoTerminal.run(["token", "prod"], in: sandbox, then: signal)
        #expect(report.tty.contains("password: "), "the prompt was shown: \(report.tty)")
        #expect(!report.echoWhilePrompting, "echo is off while the password is typed")
        #expect(report.status == -number, "authflow ends by SIG\(signal), as the shell expects: \(report)")
        #expect(report.echoIsOn, "stty -a after SIG\(signal): \(report.stty)")
    }
}
