/// Renders diagnostics like a compiler: `FILE:LINE:COL: error: message`, the source line,
/// a caret under the spot, and the hint.
///
/// The file may be a hostile repository's `authflow.yaml`, so everything taken from it (messages
/// quote its keys and values) is shown without control characters, and each diagnostic shows at
/// most `window` Unicode scalars of its line (libyaml's columns count scalars): a one-line file
/// with thousands of problems must not print that line thousands of times.
public struct DiagnosticRenderer: Sendable {
    /// The most characters of a source line shown under one diagnostic.
    public static let window = 120

    private let lines: [Substring]

    /// A renderer for diagnostics in `source`.
    public init(source: String) {
        lines = Self.lines(of: source)
    }

    /// The lines as libyaml numbers them in its marks: LF, CR, CRLF, NEL, LS and PS each end one.
    /// (Splitting on LF alone showed the wrong line under diagnostics in a file with a lone CR.)
    static func lines(of source: String) -> [Substring] {
        let scalars = source.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) else {
                index = scalars.index(after: index)
                continue
            }
            lines.append(Substring(scalars[start..<index]))
            index = scalars.index(after: index)
            if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
            start = index
        }
        lines.append(Substring(scalars[start...]))
        return lines
    }

    /// All diagnostics, each followed by its source line, caret and hint.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        // Each line is cleaned once, however many diagnostics point into it.
        var cleaned: [Int: [Unicode.Scalar]] = [:]
        return diagnostics.map { diagnostic in
            let index = diagnostic.location.line - 1
            guard lines.indices.contains(index) else { return render(diagnostic, line: nil) }
            if cleaned[index] == nil { cleaned[index] = Array(String(lines[index]).replacingControlCharacters().unicodeScalars) }
            return render(diagnostic, line: cleaned[index])
        }.joined()
    }

    /// One diagnostic.
    public func render(_ diagnostic: Diagnostic) -> String {
        let index = diagnostic.location.line - 1
        return render(diagnostic, line: lines.indices.contains(index) ? Array(String(lines[index]).replacingControlCharacters().unicodeScalars) : nil)
    }

    private func render(_ diagnostic: Diagnostic, line: [Unicode.Scalar]?) -> String {
        var out = "\(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message.replacingControlCharacters())\n"
        if var line {
            var column = max(0, diagnostic.location.column - 1)
            var cut = 0
            if diagnostic.masksSource {
                // What comes before the value, then the mask (at most a window of it: see below).
                cut = max(0, min(column, line.count) - Self.window)
                line = Array(line[cut..<min(column, line.count)]) + Array("<redacted>".unicodeScalars)
                column -= cut
            }
            // Only the window is copied: the line may be a megabyte, shared by thousands of diagnostics.
            let start = max(0, min(column - Self.window / 2, line.count - Self.window))
            let end = min(line.count, start + Self.window)
            let before = start > 0 || cut > 0
            let shown = (before ? "…" : "") + String(String.UnicodeScalarView(line[start..<end])) + (end < line.count ? "…" : "")
            column = column - start + (before ? 1 : 0)
            out += "    \(shown)\n"
            let pad = String(repeating: " ", count: min(column, Self.window + 1))
            let underline = "^" + String(repeating: "~", count: min(max(0, diagnostic.length - 1), Self.window))
            out += "    \(pad)\(underline)\n"
        }
        if let hint = diagnostic.hint {
            out += "    hint: \(hint.replacingControlCharacters())\n"
        }
        return out
    }
}

extension String {
    /// The string with tabs shown as spaces and other control characters removed, safe for a terminal.
    func replacingControlCharacters() -> String {
        String(String.UnicodeScalarView(unicodeScalars.compactMap { scalar in
            if scalar == "\t" { return " " }
            return scalar.properties.generalCategory == .control ? nil : scalar
        }))
    }
}
