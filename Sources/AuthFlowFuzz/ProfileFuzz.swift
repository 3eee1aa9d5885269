import AuthFlowCore
import Foundation

/// The profile pipeline as `authflow validate` runs it: bytes → libyaml → located nodes →
/// `ProfileFile` validation → either a usable file or diagnostics, rendered like a compiler.
///
/// Properties: only `DiagnosticsError` (or the size refusal) comes out; every diagnostic points
/// inside the file; the rendered text names every diagnostic and holds no terminal control
/// character a hostile repository's file could smuggle in; `--json` output is JSON; a valid
/// file's profiles can all be built.
enum ProfileFuzz {
    static let file = "fuzz.yaml"

    static func check(_ data: Data) throws {
        let bytes = [UInt8](data)
        let parsed: (root: YAMLNode?, source: String)
        do {
            parsed = try YAMLLoader().parse(bytes, file: file)
        } catch let error as DiagnosticsError {
            try checkDiagnostics(error, bytes: bytes)
            return
        } catch let error as AuthFlowError {
            try require(error.kind == .invalidProfile && bytes.count > YAMLLoader.Limits().maxBytes, "loader threw \(error.kind) for \(bytes.count) bytes: \(error.message)")
            return
        }
        let loaded: ProfileFile
        do {
            loaded = try ProfileFile(root: parsed.root, source: parsed.source, path: file)
        } catch let error as DiagnosticsError {
            try checkDiagnostics(error, bytes: bytes)
            return
        }
        try require(!loaded.profileNames.isEmpty, "a valid file has no usable profile")
        for name in loaded.profileNames {
            try require(ProfileFile.isValidName(name) && !name.hasPrefix("."), "usable profile name '\(shown(name))'")
            // Variables may be unset: that is a diagnostic, not a crash.
            do {
                _ = try loaded.profile(named: name, environment: ["HOME": "/home/fuzz"])
            } catch let error as DiagnosticsError {
                try checkDiagnostics(error, bytes: bytes)
            }
        }
    }

    /// Line breaks as YAML 1.1 (libyaml) counts them, read from the bytes.
    static func lineBreaks(_ bytes: [UInt8]) -> Int {
        lines(bytes).count - 1
    }

    /// The byte range of each line's text, without its break (LF, CR, CRLF, NEL, LS or PS).
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0, index = 0
        while index < bytes.count {
            var width = 0
            switch bytes[index] {
            case 0x0A: width = 1
            case 0x0D: width = index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: width = 2
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9): width = 3
            default: break
            }
            if width > 0 {
                ranges.append(start..<index)
                index += width
                start = index
            } else {
                index += 1
            }
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    /// The text of 1-based line `number`, without its break.
    static func sourceLine(_ bytes: [UInt8], _ number: Int) -> String? {
        let ranges = lines(bytes)
        guard number >= 1, number <= ranges.count else { return nil }
        return String(decoding: bytes[ranges[number - 1]], as: UTF8.self)
    }

    static func checkDiagnostics(_ error: DiagnosticsError, bytes: [UInt8]) throws {
        try require(!error.diagnostics.isEmpty, "a DiagnosticsError with no diagnostics")
        // Lines as YAML counts them (LF, CR, CRLF, NEL, LS, PS); libyaml may point one past the last
        // line at end of input. UTF-16 input (libyaml reads it, authflow shows it as UTF-8) is not counted.
        let lineCount = lineBreaks(bytes) + 1
        let isUTF16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        for diagnostic in error.diagnostics {
            let location = diagnostic.location
            try require(location.file == file, "diagnostic names file '\(shown(location.file))'")
            try require(location.line >= 1 && (isUTF16 || location.line <= lineCount + 1), "diagnostic at line \(location.line) of a \(lineCount)-line file: \(shown(diagnostic.message))")
            try require(location.column >= 1, "diagnostic at column \(location.column)")
            try require(!diagnostic.message.isEmpty, "diagnostic without a message")
        }
        let rendered = DiagnosticRenderer(source: error.source).render(error.diagnostics)
        if !isUTF16 {
            // Under each diagnostic, the line it names: the text from its column on must be shown
            // (a window may cut it after 60 scalars, and a masked value is replaced).
            for diagnostic in error.diagnostics where !diagnostic.masksSource {
                let shownLines = DiagnosticRenderer(source: error.source).render(diagnostic).split(separator: "\n", omittingEmptySubsequences: false)
                guard shownLines.count > 2, let line = sourceLine(bytes, diagnostic.location.line) else { continue }
                let expected = String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(diagnostic.location.column - 1).prefix(40)
                    .map { $0 == "\t" ? " " : $0 }.filter { $0.properties.generalCategory != .control }))
                try require(containsRun(Array(shownLines[1].unicodeScalars), Array(expected.unicodeScalars.prefix(20))), "diagnostic at \(diagnostic.location) shows '\(shown(String(shownLines[1])))', not its line '\(shown(line))'")
            }
        }
        try require(!hasTerminalControl(rendered), "rendered diagnostics hold a control character: \(shown(rendered, limit: 400))")
        // Bounded: the message and hint, plus a window of the source line and the caret line, per diagnostic.
        let budget = error.diagnostics.reduce(0) { sum, diagnostic in
            sum + diagnostic.location.description.utf8.count + diagnostic.message.utf8.count + (diagnostic.hint?.utf8.count ?? 0) + 64 + 2 * 4 * (DiagnosticRenderer.window + 4)
        }
        try require(rendered.utf8.count <= budget, "rendered diagnostics take \(rendered.utf8.count) bytes for \(error.diagnostics.count) diagnostics")
        for diagnostic in error.diagnostics {
            try require(rendered.contains("\(diagnostic.location): \(diagnostic.severity.rawValue): "), "rendered text lacks the header of a diagnostic at \(diagnostic.location)")
        }
        let json = error.diagnostics.jsonText
        let reparsed = try? JSONSerialization.jsonObject(with: Data(json.utf8))
        try require((reparsed as? [Any])?.count == error.diagnostics.count, "validate --json output is not a JSON array of every diagnostic: \(shown(json, limit: 400))")
    }
}
