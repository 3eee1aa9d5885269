import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks on `/dev/tty` with echo off, so a prompt works even when stdout is captured by `$(...)`.
public struct TerminalPrompter: SecretPrompter {
    /// Creates the prompter.
    public init() {}

    /// Prompts on the controlling terminal; throws a secret error when there is none.
    public func ask(_ label: String) throws -> String { try answer(label, echo: false) }

    /// Asks on the controlling terminal with echo on; throws a secret error when there is none.
    public func choose(_ question: String) throws -> String { try answer(question, echo: true) }

    private func answer(_ label: String, echo: Bool) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            throw AuthFlowError(.secret, "\(label.trimmingCharacters(in: CharacterSet(charactersIn: ": "))): 'prompt' needs a terminal and there is none",
                                hint: "run authflow from a terminal, or use env:, file: or command: in CI")
        }
        defer { close(fd) }
        write(fd, label, label.utf8.count)
        var saved = termios()
        // With echo on (a choice, not a secret), the terminal shows the user's own newline.
        guard !echo, tcgetattr(fd, &saved) == 0 else {
            defer { if !echo { write(fd, "\n", 1) } }
            return Self.readLine(fd)
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        // Echo comes back on every way out, a signal included.
        return TerminalEchoGuard.with(fd, original: saved, silent: silent) {
            defer { write(fd, "\n", 1) }
            return Self.readLine(fd)
        }
    }

    /// One line from `fd`, without its end, capped at 64 KiB.
    private static func readLine(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
            if bytes.count > 64 * 1024 { break }
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
