import Foundation

/// `json`: the token response without `refresh_token`, plus `expires_at` and `profile`.
public struct JSONWriter: OutputWriter {
    /// Creates the writer.
    public init() {}

    /// The format name.
    public var name: String { "json" }

    /// Pretty-printed JSON with sorted keys and a trailing newline; `expires_in` counts from `options.now`.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        let accessToken = try OutputCheck.plain(token.accessToken, field: "access token")
        var members = token.response
        members["refresh_token"] = nil
        // The checked value is the one written, even if the stored response disagrees.
        members["access_token"] = .string(accessToken)
        let modelled: [(String, String?)] = [("token_type", token.tokenType), ("scope", token.scope), ("id_token", token.idToken)]
        for (key, value) in modelled where members[key] == nil {
            members[key] = value.map(JSONValue.string)
        }
        // A cached response's expires_in is stale; without a known expiry it is dropped, not echoed.
        members["expires_in"] = nil
        members["expires_at"] = nil
        if let expiresAt = token.expiresAt {
            let seconds = try OutputCheck.unixSeconds(expiresAt)
            members["expires_at"] = .string(OutputCheck.rfc3339(seconds))
            members["expires_in"] = .number(max(0, expiresAt.timeIntervalSince(options.now).rounded(.down)))
        }
        members["profile"] = .string(options.profile)
        return JSONValue.object(members).serialized(pretty: true) + "\n"
    }
}
