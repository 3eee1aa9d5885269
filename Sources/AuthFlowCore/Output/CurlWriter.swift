/// `curl`: a config file for `curl -K -` so the token never shows in `ps`:
/// `header = "Authorization: Bearer TOKEN"` with curl's double-quote escaping.
public struct CurlWriter: OutputWriter {
    /// Creates the writer.
    public init() {}

    /// The format name.
    public var name: String { "curl" }

    /// One `header = "..."` line.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        let value = try OutputCheck.bearerToken(token, options: options)
        return "header = \(Self.quote("Authorization: Bearer \(value)"))\n"
    }

    /// `text` in curl config quoting: `"` and `\` are backslash-escaped.
    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
