import Foundation
import Testing

/// authflow on a fresh pseudo-terminal, driven by `Servers/pty_session.py`: it waits for a prompt,
/// then types an answer or interrupts, and reports what the terminal was left in.
enum PseudoTerminal {
    /// What the driver saw.
    struct Report: Decodable, CustomStringConvertible {
        /// Whether the terminal echoed while authflow was prompting.
        let echoWhilePrompting: Bool
        /// The exit status; negative: ended by that signal; nil: still running after 60 s.
        let status: Int?
        /// `stty -a` on the terminal after authflow ended.
        let stty: String
        /// What authflow wrote on the terminal.
        let tty: String
        /// authflow's stdout.
        let stdout: String

        /// Whether the terminal echoes again after authflow ended.
        var echoIsOn: Bool {
            let flags = stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" })
            return flags.contains("echo") && !flags.contains("-echo")
        }

        var description: String { "status \(status.map(String.init) ?? "none"), tty \(tty.debugDescription), stdout \(stdout.debugDescription)" }
    }

    /// Runs authflow with `arguments` in `sandbox`, waits for `waitFor` on the terminal, then does
    /// `action`: `INT` (Ctrl-C), `TERM` or `HUP` (a signal), or `type:TEXT` (TEXT and Enter).
    /// `stdinIsTerminal`: the terminal is authflow's stdin too, else /dev/null.
    static func run(_ arguments: [String], in sandbox: Sandbox, waitFor: String = ": ", then action: String,
                    stdinIsTerminal: Bool = false) async throws -> Report {
        let python = try #require(Subprocess.which("python3"), "python3 drives the pseudo-terminal")
        let driver = PackageLayout.servers.appendingPathComponent("pty_session.py")
        let options = ["--wait", waitFor] + (stdinIsTerminal ? ["--stdin-tty"] : [])
        let output = try await Subprocess.run(python, [driver.path] + options + [action, try AuthFlowBinary.url().path] + arguments,
                                              environment: sandbox.environment, directory: sandbox.work, timeout: .seconds(180))
        let text = String(decoding: output.stdout, as: UTF8.self)
        return try #require(try? JSONDecoder().decode(Report.self, from: output.stdout),
                            "the driver gave no report: \(text) \(String(decoding: output.stderr, as: UTF8.self))")
    }
}
