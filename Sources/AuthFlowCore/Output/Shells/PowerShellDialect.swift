/// PowerShell: `$Env:NAME = 'value'`.
public struct PowerShellDialect: ShellDialect {
    /// Creates the dialect.
    public init() {}

    /// The dialect name.
    public var name: String { "powershell" }

    /// A quote is doubled; PowerShell also takes U+2018–U+201B as single quotes, so those are doubled too.
    public func line(name: String, value: String) -> String {
        let quoted = value.replacingScalars { scalar in
            scalar == "'" || (0x2018...0x201B).contains(scalar.value) ? String(scalar) + String(scalar) : nil
        }
        return "$Env:\(name) = '\(quoted)'"
    }

    /// Removes the variable; no error when it is not set.
    public func unsetLine(name: String) -> String? { "Remove-Item Env:\(name) -ErrorAction SilentlyContinue" }
}
