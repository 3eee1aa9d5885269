/// One problem found in a file, with its place, a message quoting the offending value, and a hint.
public struct Diagnostic: Error, Sendable, Hashable {
    /// How bad it is.
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    /// How bad it is.
    public var severity: Severity
    /// Where it is.
    public var location: SourceLocation
    /// What is wrong, naming the key path and quoting the value.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// How many columns the caret line underlines.
    public var length: Int
    /// Hide the source line's text from the caret onwards (the value there may be a secret).
    public var masksSource = false

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String, hint: String? = nil, length: Int = 1) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
        self.length = max(1, length)
    }
}

/// A file that failed to load or validate; carries every problem found, not only the first.
public struct DiagnosticsError: Error, Sendable {
    /// The problems, in file order.
    public var diagnostics: [Diagnostic]
    /// The file's text, to show source lines under each problem.
    public var source: String

    /// Creates the error.
    public init(_ diagnostics: [Diagnostic], source: String) {
        self.diagnostics = diagnostics
        self.source = source
    }
}
