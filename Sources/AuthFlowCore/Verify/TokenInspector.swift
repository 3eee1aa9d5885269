import Foundation

/// `authflow inspect`: a token decoded for people (header, claims, times in local time and
/// relative to now, scopes) or for machines (`--json`), without verifying anything.
public struct TokenInspector: Sendable {
    /// Claims shown first, in this order; the rest follow sorted.
    static let leadingClaims = ["iss", "sub", "aud", "cid", "client_id", "uid", "scp", "scope", "iat", "nbf", "exp", "auth_time"]
    /// NumericDate claims shown with local and relative times.
    static let timeClaims: Set<String> = ["iat", "nbf", "exp", "auth_time", "updated_at"]

    /// Now, and the zone local times are shown in.
    public let time: RelativeTime
    /// Use ANSI colours (a terminal without `NO_COLOR`).
    public let colour: Bool

    /// An inspector for the clock `time`, with or without colour.
    public init(time: RelativeTime, colour: Bool) {
        self.time = time
        self.colour = colour
    }

    /// The text view of `token`.
    public func text(_ token: String) -> String {
        guard let parts = JWTParts(token) else { return opaqueText(token) }
        var out = paint("JWT", .bold) + paint("  decoded only; the signature is not verified (authflow verify checks it)", .yellow) + "\n"
        out += "\n" + paint("Header", .bold) + "\n" + rows(parts.header.keys.sorted().map { ($0, value(parts.header[$0])) })
        let names = Self.leadingClaims.filter { parts.claims[$0] != nil } + parts.claims.keys.filter { !Self.leadingClaims.contains($0) }.sorted()
        out += "\n" + paint("Claims", .bold) + "\n" + rows(names.map { ($0, claim($0, parts.claims[$0])) })
        if let scopes = TokenClaims.scopes(parts.claims) {
            out += "\n" + paint("Scopes", .bold) + "  " + (scopes.isEmpty ? "(none)" : scopes.map { TokenClaims.shown($0, limit: 100) }.joined(separator: " ")) + "\n"
        }
        return out
    }

    /// The JSON view of `token`: `format`, and for a JWT its `header`, `claims`, `scopes` and `times`.
    public func json(_ token: String) -> JSONValue {
        guard let parts = JWTParts(token) else {
            return .object(["format": .string(Self.isJWE(token) ? "jwe" : "opaque"), "length": .number(Double(token.count))])
        }
        var times: [String: JSONValue] = [:]
        for name in Self.timeClaims.sorted() {
            guard let date = TokenClaims.date(parts.claims[name]) else { continue }
            times[name] = .object(["utc": .string(TokenClaims.utc(date)), "local": .string(time.local(date)),
                                   "relative": .string(time.relative(date)), "seconds_from_now": .number(date.timeIntervalSince(time.now).rounded(.down))])
        }
        var members: [String: JSONValue] = ["format": .string("jwt"), "verified": .bool(false), "header": .object(parts.header), "claims": .object(parts.claims), "times": .object(times)]
        if let exp = TokenClaims.date(parts.claims["exp"]) { members["expired"] = .bool(exp <= time.now) }
        if let scopes = TokenClaims.scopes(parts.claims) { members["scopes"] = .array(scopes.map(JSONValue.string)) }
        return .object(members)
    }

    private func opaqueText(_ token: String) -> String {
        let kind = Self.isJWE(token) ? "an encrypted JWT (JWE): only its issuer can read it" : "an opaque token, not a JWT: only its issuer can read it"
        return paint("Opaque", .bold) + "  \(kind) (\(token.count) characters)\n"
            + "Ask the issuer what it means: authflow introspect PROFILE --token -\n"
    }

    private static func isJWE(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).count == 5
    }

    /// A claim's value; NumericDates add their local and relative time.
    private func claim(_ name: String, _ raw: JSONValue?) -> String {
        let shown = value(raw)
        guard Self.timeClaims.contains(name), let date = TokenClaims.date(raw) else { return shown }
        let relative = time.relative(date)
        let note: String
        let expired = date <= time.now
        switch name {
        case "exp": note = paint(expired ? "expired \(relative)" : "expires \(relative)", expired ? .red : .green)
        case "nbf": note = date > time.now ? paint("not valid until \(relative)", .red) : "valid since \(relative)"
        case "iat": note = "issued \(relative)"
        default: note = relative
        }
        return "\(shown)  \(time.local(date))  (\(note))"
    }

    /// Strings as they are (sanitized), everything else as compact JSON.
    private func value(_ raw: JSONValue?) -> String {
        guard let raw else { return "" }
        if let text = raw.string { return TokenClaims.shown(text, limit: 300) }
        return raw.serialized().sanitizedForTerminal(limit: 300)
    }

    private func rows(_ rows: [(String, String)]) -> String {
        let width = rows.map { TokenClaims.shown($0.0, limit: 40).count }.max() ?? 0
        return rows.map { name, value in
            let label = TokenClaims.shown(name, limit: 40)
            return "  " + paint(label, .cyan) + String(repeating: " ", count: width - label.count + 2) + value + "\n"
        }.joined()
    }

    enum Style: String {
        case bold = "1", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
