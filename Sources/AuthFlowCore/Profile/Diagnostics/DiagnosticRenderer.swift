/// Renders diagnostics like a compiler: `FILE:LINE:COL: error: message`, the source line,
/// a caret under the spot, and the hint.
public struct DiagnosticRenderer: Sendable {
    private let lines: [Substring]

    /// A renderer for diagnostics in `source`.
    public init(source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// All diagnostics, each followed by its source line, caret and hint.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    /// One diagnostic.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = "\(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message)\n"
        let index = diagnostic.location.line - 1
        if lines.indices.contains(index) {
            var line = String(lines[index]).replacingControlCharacters()
            if diagnostic.masksSource {
                line = String(line.prefix(max(0, diagnostic.location.column - 1))) + "<redacted>"
            }
            out += "    \(line)\n"
            let pad = String(repeating: " ", count: max(0, diagnostic.location.column - 1))
            let underline = "^" + String(repeating: "~", count: max(0, diagnostic.length - 1))
            out += "    \(pad)\(underline)\n"
        }
        if let hint = diagnostic.hint {
            out += "    hint: \(hint)\n"
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
