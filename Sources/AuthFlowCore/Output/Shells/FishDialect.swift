/// fish: `set -gx NAME 'value'`.
public struct FishDialect: ShellDialect {
    /// Creates the dialect.
    public init() {}

    /// The dialect name.
    public var name: String { "fish" }

    /// Inside fish single quotes only `\\` and `\'` are escapes, so exactly those two are escaped.
    public func line(name: String, value: String) -> String {
        let quoted = value.replacingScalars { scalar in
            switch scalar {
            case "\\": "\\\\"
            case "'": "\\'"
            default: nil
            }
        }
        return "set -gx \(name) '\(quoted)'"
    }

    /// `set -e NAME` (silent and status 0 enough when the variable is not set).
    public func unsetLine(name: String) -> String? { "set -e \(name)" }
}
