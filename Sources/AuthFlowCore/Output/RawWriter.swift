/// `raw`: the bare token and one newline.
public struct RawWriter: OutputWriter {
    /// Creates the writer.
    public init() {}

    /// The format name.
    public var name: String { "raw" }

    /// The access token, or the ID token with `--id-token`, once it passes the b64token check.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        try OutputCheck.bearerToken(token, options: options) + "\n"
    }
}
