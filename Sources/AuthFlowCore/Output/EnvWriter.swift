/// `env`: one variable per line in the chosen shell's syntax; never the refresh token.
public struct EnvWriter: OutputWriter {
    /// Creates the writer.
    public init() {}

    /// The format name.
    public var name: String { "env" }

    /// Every suffix `write` may set, in order: the set a run owns.
    static let suffixes = ["ACCESS_TOKEN", "TOKEN_TYPE", "EXPIRES_AT", "SCOPE", "ID_TOKEN"]

    /// `ACCESS_TOKEN`, `TOKEN_TYPE`, then `EXPIRES_AT`, `SCOPE` and `ID_TOKEN` when known, each after the prefix;
    /// then, in shells, an unset line for each of the set this token lacks, so a variable left by an
    /// earlier `eval` (another profile's ID token) does not outlive it.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        let set = try variables(token, options: options)
        let lines = try set.map { try options.shell.line(name: $0.name, value: $0.value) }
        let setNames = Set(set.map(\.name))
        let unsets = Self.suffixes.map { options.prefix + $0 }.filter { !setNames.contains($0) }.compactMap(options.shell.unsetLine)
        return (lines + unsets).map { $0 + "\n" }.joined()
    }

    /// The checked variables `write` sets, for `exec` and GitHub Actions, which set them another way.
    public func variables(_ token: TokenSet, options: OutputOptions) throws -> [(name: String, value: String)] {
        var variables: [(suffix: String, field: String, value: String)] = [
            ("ACCESS_TOKEN", "access token", token.accessToken),
            ("TOKEN_TYPE", "token type", token.tokenType),
        ]
        if let expiresAt = token.expiresAt {
            variables.append(("EXPIRES_AT", "expiry time", String(try OutputCheck.unixSeconds(expiresAt))))
        }
        if let scope = token.scope { variables.append(("SCOPE", "scope", scope)) }
        if let idToken = token.idToken { variables.append(("ID_TOKEN", "ID token", idToken)) }

        // Names first: a bad prefix is the user's to fix, whatever the server sent.
        let names = try variables.map { try OutputCheck.variableName(options.prefix + $0.suffix, prefix: options.prefix) }
        return try zip(names, variables).map { name, variable in
            (name, try OutputCheck.plain(variable.value, field: variable.field))
        }
    }
}
