/// POSIX `sh` (bash, zsh, dash): `export NAME='value'`, `'` written as `'\''`.
public struct ShDialect: ShellDialect {
    /// Creates the dialect.
    public init() {}

    /// The dialect name.
    public var name: String { "sh" }

    /// Nothing is special inside single quotes except the quote itself, which closes, escapes and reopens.
    public func line(name: String, value: String) -> String {
        "export \(name)='" + value.replacingScalars { $0 == "'" ? "'\\''" : nil } + "'"
    }
}
