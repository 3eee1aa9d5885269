/// How one shell sets an exported variable to a literal value.
public protocol ShellDialect: Sendable {
    /// The dialect's name on the command line (`--shell NAME`).
    var name: String { get }
    /// One line, without its newline, setting `name` to exactly `value`.
    ///
    /// `name` matches `^[A-Za-z_][A-Za-z0-9_]*$` and `value` holds no control character: the env writer
    /// checked both. A dialect that cannot quote `value` safely throws instead.
    func line(name: String, value: String) throws -> String
    /// One line, without its newline, removing `name` from the environment; nil when the format
    /// is a file read once (dotenv), where a missing line already means "not set".
    func unsetLine(name: String) -> String?
}

extension ShellDialect {
    /// No removal by default.
    public func unsetLine(name: String) -> String? { nil }
}

/// The fixed set of shell dialects.
public enum ShellDialects {
    /// Every dialect, in the order the help text lists them.
    public static let all: [any ShellDialect] = [ShDialect(), FishDialect(), PowerShellDialect(), DotenvDialect()]

    /// The dialect called `name`, or nil.
    public static func named(_ name: String) -> (any ShellDialect)? {
        all.first { $0.name == name }
    }

    /// The names of every dialect.
    public static var names: [String] { all.map(\.name) }
}

extension String {
    /// This string with each scalar that `replacement` maps rewritten.
    ///
    /// Scalar by scalar on purpose: `'` plus a combining mark is one `Character`, which a
    /// `Character`-level replace would leave alone while the shell still sees a quote.
    func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        for scalar in unicodeScalars {
            if let replaced = replacement(scalar) { out += replaced } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
