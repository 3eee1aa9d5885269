/// What `authflow validate` reports on one file: every problem the loader finds, and the notes
/// of `ProfileReview`, in file order.
public struct ProfileValidation: Sendable {
    /// The file as the user named it.
    public let path: String
    /// The file's text, to show source lines.
    public let source: String
    /// Errors, warnings and notes, in file order.
    public let diagnostics: [Diagnostic]
    /// The usable profiles when the file is valid; empty otherwise.
    public let profileNames: [String]

    /// How many diagnostics are errors; any error makes the file invalid (exit 65).
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }

    /// Loads, validates and reviews the file at `path`. Throws only when the file cannot be read or is
    /// too large; syntax and validation problems are diagnostics.
    public static func run(path: String, environment: [String: String]) throws -> ProfileValidation {
        let root: YAMLNode?, source: String
        do {
            (root, source) = try YAMLLoader().load(contentsOf: path)
        } catch let error as DiagnosticsError {
            return ProfileValidation(path: path, source: error.source, diagnostics: error.diagnostics, profileNames: [])
        }
        var diagnostics: [Diagnostic] = []
        var names: [String] = []
        do {
            names = try ProfileFile(root: root, source: source, path: path).profileNames
        } catch let error as DiagnosticsError {
            diagnostics = error.diagnostics
        }
        diagnostics += ProfileReview(environment: environment).notes(root: root, path: path)
        let order: [Diagnostic.Severity: Int] = [.error: 0, .warning: 1, .note: 2]
        // Stable: equal positions keep errors first, then warnings, then notes.
        let sorted = diagnostics.enumerated().sorted { a, b in
            (a.element.location, order[a.element.severity] ?? 0, a.offset) < (b.element.location, order[b.element.severity] ?? 0, b.offset)
        }.map(\.element)
        return ProfileValidation(path: path, source: source, diagnostics: sorted, profileNames: names)
    }
}
