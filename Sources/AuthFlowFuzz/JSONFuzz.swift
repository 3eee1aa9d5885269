import AuthFlowCore
import Foundation

/// The strict JSON reader (`JSONValue.parse(bytes:)`) that reads cache entries and profile-index
/// records on the cached path, where `JSONDecoder` used to.
///
/// Input: any bytes.
///
/// Properties: never a crash, whatever the nesting; whatever it accepts is RFC 8259 JSON, by a
/// recognizer of the RFC's grammar written here (it may refuse more: duplicate keys, lone
/// surrogates, numbers beyond `Double`); where `JSONDecoder` also accepts it, both read the same
/// value (`JSONDecoder` refuses some valid JSON, such as `0e4`, so its refusal proves nothing);
/// and an accepted value, serialized by `JSONValue.serialized`, reads back as the same value.
enum JSONFuzz {
    static func check(_ data: Data) throws {
        guard let value = JSONValue.parse(bytes: data) else { return }
        let text = shown(String(decoding: data, as: UTF8.self))
        var grammar = Grammar(Array(data))
        try require(grammar.document(), "accepted what is not RFC 8259 JSON: \(text)")
        if let foundation = try? JSONDecoder().decode(JSONValue.self, from: data) {
            try require(foundation == value, "read \(shown(value.serialized())) where JSONDecoder reads \(shown(foundation.serialized()))")
        }
        let serialized = value.serialized()
        try require(JSONValue.parse(bytes: Array(serialized.utf8)) == value, "\(shown(serialized)) does not read back as itself")
    }

    /// RFC 8259's grammar, byte by byte; strings must also be valid UTF-8 (RFC 8259 §8.1).
    struct Grammar {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> Bool {
            whitespace()
            guard value(depth: 0) else { return false }
            whitespace()
            return index == bytes.count
        }

        private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func whitespace() {
            while let byte = peek, [0x20, 0x09, 0x0A, 0x0D].contains(byte) { index += 1 }
        }

        private mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected else { return false }
            index += expected.count
            return true
        }

        private mutating func value(depth: Int) -> Bool {
            guard depth < 10_000, let byte = peek else { return false }
            switch byte {
            case UInt8(ascii: "{"): return members(depth: depth)
            case UInt8(ascii: "["): return elements(depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        private mutating func members(depth: Int) -> Bool {
            index += 1
            whitespace()
            if peek == UInt8(ascii: "}") { index += 1; return true }
            while true {
                whitespace()
                guard string() else { return false }
                whitespace()
                guard peek == UInt8(ascii: ":") else { return false }
                index += 1
                whitespace()
                guard value(depth: depth + 1) else { return false }
                whitespace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                guard peek == UInt8(ascii: "}") else { return false }
                index += 1
                return true
            }
        }

        private mutating func elements(depth: Int) -> Bool {
            index += 1
            whitespace()
            if peek == UInt8(ascii: "]") { index += 1; return true }
            while true {
                whitespace()
                guard value(depth: depth + 1) else { return false }
                whitespace()
                if peek == UInt8(ascii: ",") { index += 1; continue }
                guard peek == UInt8(ascii: "]") else { return false }
                index += 1
                return true
            }
        }

        private mutating func string() -> Bool {
            guard peek == UInt8(ascii: "\"") else { return false }
            index += 1
            let start = index
            while let byte = peek {
                switch byte {
                case UInt8(ascii: "\""):
                    defer { index += 1 }
                    return String(validating: bytes[start..<index], as: UTF8.self) != nil
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = peek else { return false }
                    if escaped == UInt8(ascii: "u") {
                        guard bytes.count - index > 4, bytes[(index + 1)...(index + 4)].allSatisfy({ Self.isHex($0) }) else { return false }
                        index += 5
                    } else {
                        guard Array("\"\\/bfnrt".utf8).contains(escaped) else { return false }
                        index += 1
                    }
                case 0x00..<0x20:
                    return false
                default:
                    index += 1
                }
            }
            return false
        }

        private mutating func number() -> Bool {
            if peek == UInt8(ascii: "-") { index += 1 }
            guard let first = peek, Self.isDigit(first) else { return false }
            index += 1
            if first != UInt8(ascii: "0") { digits() }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard let next = peek, Self.isDigit(next) else { return false }
                digits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard let next = peek, Self.isDigit(next) else { return false }
                digits()
            }
            return true
        }

        private mutating func digits() {
            while let byte = peek, Self.isDigit(byte) { index += 1 }
        }

        private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) }
    }
}
