import AuthFlowCore
import Foundation
import Testing

/// Profile files are read as UTF-8 only, so the bytes a user trusted are the text authflow parses;
/// and the node limit counts what the document holds, not each node once per enclosing level.
@Suite struct ProfileEncodingTests {
    static let profile = "version: 1\nprofiles:\n  p: {token_url: 'http://127.0.0.1:9/t', client: {id: c}, grant: client_credentials}\n"

    func utf16LE(_ text: String, byteOrderMark: Bool) -> [UInt8] {
        (byteOrderMark ? [0xFF, 0xFE] : []) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test("UTF-16 and UTF-32 files are refused, with or without a byte order mark, naming the encoding and iconv")
    func wideEncodingsAreRefused() throws {
        let encodings: [(bytes: [UInt8], name: String)] = [
            (utf16LE(Self.profile, byteOrderMark: true), "UTF-16"),
            (utf16LE(Self.profile, byteOrderMark: false), "UTF-16"),
            ([0xFE, 0xFF] + Self.profile.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "UTF-16"),
            ([0xFF, 0xFE, 0x00, 0x00] + Self.profile.unicodeScalars.flatMap { [UInt8($0.value & 0xFF), 0, 0, 0] }, "UTF-32"),
        ]
        for (bytes, name) in encodings {
            let error = try #require(throws: DiagnosticsError.self) { try ProfileFile(bytes: bytes, path: "authflow.yaml") }
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.message == "the file is \(name); authflow reads profile files in UTF-8 only")
            #expect(diagnostic.hint?.contains("iconv -f \(name) -t UTF-8") == true)
            #expect(diagnostic.location.line == 1 && diagnostic.location.column == 1)
        }
    }

    @Test("the two UTF-16 files of the trust bypass (U+00A0 and U+0085 in a comment) are both refused")
    func trustBypassPairIsRefused() {
        for character in ["\u{A0}", "\u{85}"] {
            let text = "# note\(character)client: {secret: {command: [touch, /tmp/x]}}\n" + Self.profile
            #expect(throws: DiagnosticsError.self) { try ProfileFile(bytes: utf16LE(text, byteOrderMark: true), path: "f") }
        }
    }

    @Test("a byte that is not UTF-8 is placed at its line and column")
    func invalidByteIsPlaced() throws {
        let bytes = Array("version: 1\n# caf".utf8) + [0xE9] + Array(" au lait\n".utf8)
        let error = try #require(throws: DiagnosticsError.self) { try ProfileFile(bytes: bytes, path: "f") }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message == "the file is not valid UTF-8: byte 0xE9 here")
        #expect(diagnostic.location.line == 2 && diagnostic.location.column == 6)
    }

    @Test("overlong forms and encoded surrogates are not UTF-8 either", arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func malformedSequences(_ sequence: [UInt8]) {
        #expect(throws: DiagnosticsError.self) { try ProfileFile(bytes: Array("# ".utf8) + sequence + Array("\n".utf8) + Array(Self.profile.utf8), path: "f") }
    }

    @Test("UTF-8 with a byte order mark and non-ASCII text is read, and the bytes kept are the bytes given")
    func utf8IsRead() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("# café, 東京, 🔑\n\(Self.profile)".utf8)
        let file = try ProfileFile(bytes: bytes, path: "f")
        #expect(file.bytes == bytes)
        #expect(Array(file.source.utf8) == bytes)
        #expect(file.profileNames == ["p"])
    }

    @Test("2,000 plain profiles (about 32,000 nodes) load: each node is counted once")
    func manyProfilesLoad() throws {
        var text = "version: 1\nprofiles:\n"
        for index in 0..<2000 {
            text += "  p\(index):\n    token_url: http://127.0.0.1:9/t\n    client: {id: c\(index), secret: 'env:S'}\n    grant: {type: client_credentials}\n    scopes: [a, b, c]\n"
        }
        let root = try YAMLLoader().parse(Array(text.utf8), file: "f").root
        #expect(root?["profiles"]?.pairs?.count == 2000)
    }

    @Test("an alias bomb is still refused")
    func aliasBombStillRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<8 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let error = try #require(throws: DiagnosticsError.self) { try YAMLLoader().parse(Array(text.utf8), file: "f") }
        #expect(error.diagnostics.first?.message.contains("expands to more than") == true)
    }
}
