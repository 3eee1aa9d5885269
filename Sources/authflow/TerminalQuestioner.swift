import AuthFlowCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks `authflow init`'s questions on the controlling terminal (`/dev/tty`), echo on, so they work
/// while stdout is redirected (`authflow init -o - > file`).
final class TerminalQuestioner: InitQuestioner {
    private let descriptor: Int32

    /// Nil when there is no terminal.
    init?() {
        let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func ask(_ question: String) throws -> String {
        show(question)
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        var sawEnd = true
        while read(descriptor, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { sawEnd = false; break }
            bytes.append(byte)
            if bytes.count > 4096 { throw AuthFlowError(.usage, "that answer is too long") }
        }
        if sawEnd, bytes.isEmpty {
            throw AuthFlowError(.usage, "no answer: the terminal was closed", hint: "answer the questions, or pass flags (authflow init --help)")
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func tell(_ line: String) throws {
        show(line + "\n")
    }

    private func show(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
    }
}
