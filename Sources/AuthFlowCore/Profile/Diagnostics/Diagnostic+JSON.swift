extension Diagnostic {
    /// `{file, line, column, severity, message, hint}` (hint null when there is none), for CI annotations.
    public var json: JSONValue {
        .object([
            "file": .string(location.file),
            "line": .number(Double(location.line)),
            "column": .number(Double(location.column)),
            "severity": .string(severity.rawValue),
            "message": .string(message),
            "hint": hint.map(JSONValue.string) ?? .null,
        ])
    }
}

extension [Diagnostic] {
    /// The diagnostics as an indented JSON array and a newline: `authflow validate --json`.
    public var jsonText: String {
        JSONValue.array(map(\.json)).serialized(pretty: true) + "\n"
    }
}
