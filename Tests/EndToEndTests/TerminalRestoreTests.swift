import Foundation
import Testing

/// A `prompt` secret turns echo off; a signal in the middle must not leave the user's terminal that
/// way. Driven on a real pseudo-terminal: the driver waits for the prompt, interrupts, then runs
/// `stty -a` on the same terminal.
@Suite("Terminal restored after a signal at a prompt")
struct TerminalRestoreTests {
    struct Report: Decodable {
        let echoWhilePrompting: Bool
        let status: Int?
        let stty: String
        let tty: String
        /// The child's stdout.
        let stdout: String
    }

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
        let python = try #require(Subprocess.which("python3"), "python3 drives the pseudo-terminal")
        let driver = PackageLayout.servers.appendingPathComponent("pty_interrupt.py")
        let output = try await Subprocess.run(python, [driver.path, signal, try AuthFlowBinary.url().path, "token", "prod"],
                                              environment: sandbox.environment, directory: sandbox.work, timeout: .seconds(60))
        let text = String(decoding: output.stdout, as: UTF8.self)
        let report = try JSONDecoder().decode(Report.self, from: Data(text.utf8))
        #expect(report.tty.contains("password: "), "the prompt was shown: \(report.tty)")
        #expect(!report.echoWhilePrompting, "echo is off while the password is typed")
        #expect(report.status == -number, "authflow ends by SIG\(signal), as the shell expects: \(text)")
        let flags = report.stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
        #expect(flags.contains("echo") && !flags.contains("-echo"), "stty -a after SIG\(signal): \(report.stty)")
    }
}
