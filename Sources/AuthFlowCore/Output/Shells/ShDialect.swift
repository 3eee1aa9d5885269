/// POSIX `sh` (bash, zsh, dash): `export NAME='value'`, `'` written as `'\''`.
public struct ShDialect: ShellDialect {
    /// Creates the dialect.
    public init() {}

    /// The dialect name.
    public var name: String { "sh" }

    /// Nothing is special inside single quotes except the quote itself, which closes, escapes and reopens.
    public func line(name: String, value: String) -> String {
        "export \(name)=" + quoted(value)
    }

    /// `unset NAME`.
    public func unsetLine(name: String) -> String? { "unset \(name)" }

    /// `value` as one single-quoted shell word.
    func quoted(_ value: String) -> String {
        "'" + value.replacingScalars { $0 == "'" ? "'\\''" : nil } + "'"
    }
}
