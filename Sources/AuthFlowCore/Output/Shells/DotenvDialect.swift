/// `.env` files: `NAME='value'`.
public struct DotenvDialect: ShellDialect {
    /// Creates the dialect.
    public init() {}

    /// The dialect name.
    public var name: String { "dotenv" }

    /// dotenv parsers agree on no escape inside quotes, so a value needing one is refused, not guessed at.
    public func line(name: String, value: String) throws -> String {
        for scalar in value.unicodeScalars {
            let what: String? = switch scalar {
            case "'": "a single quote"
            case "\\": "a backslash"
            case "\n", "\r": "a newline"
            default: nil
            }
            if let what {
                throw AuthFlowError(
                    .protocolError, "\(name) holds \(what), which dotenv cannot quote",
                    hint: "use --shell sh, fish or powershell, which can quote it"
                )
            }
        }
        return "\(name)='\(value)'"
    }
}
