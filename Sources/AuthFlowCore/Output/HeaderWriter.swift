/// `header`: exactly one line, `Authorization: Bearer TOKEN`.
public struct HeaderWriter: OutputWriter {
    /// Creates the writer.
    public init() {}

    /// The format name.
    public var name: String { "header" }

    /// The header line; the token must pass the b64token check so no header can be injected.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        // Always "Bearer" (docs/reference/output.md): the server's token_type spelling ("bearer", "BEARER") is not echoed.
        "Authorization: Bearer " + (try OutputCheck.bearerToken(token, options: options)) + "\n"
    }
}
