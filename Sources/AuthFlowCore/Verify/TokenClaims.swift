public import Foundation

/// Reading registered and Okta claims out of a decoded JWT, the same way for `inspect` and `verify`.
public enum TokenClaims {
    /// `aud` as a list: one string, or an array of strings.
    public static func audiences(_ claims: [String: JSONValue]) -> [String] {
        switch claims["aud"] {
        case .string(let value): [value]
        case .array(let items): items.compactMap(\.string)
        default: []
        }
    }

    /// The granted scopes: Okta's `scp` (an array, sometimes a string) or RFC 9068's space-separated `scope`.
    public static func scopes(_ claims: [String: JSONValue]) -> [String]? {
        for name in ["scp", "scope"] {
            switch claims[name] {
            case .array(let items): return items.compactMap(\.string)
            case .string(let text): return text.split(separator: " ").map(String.init)
            default: continue
            }
        }
        return nil
    }

    /// The client the token was issued to: Okta's `cid` or RFC 9068's `client_id`.
    public static func clientID(_ claims: [String: JSONValue]) -> String? {
        claims["cid"]?.string ?? claims["client_id"]?.string
    }

    /// A NumericDate claim (seconds since the epoch) as a date; nil when absent or not a sane number.
    public static func date(_ value: JSONValue?) -> Date? {
        guard let seconds = value?.number, seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// RFC 3339 in UTC, whole seconds: `2026-11-29T04:19:08Z`.
    public static func utc(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .current))
    }

    /// Claim or header text made safe for one line of output.
    static func shown(_ text: String, limit: Int = 100) -> String {
        text.sanitizedForTerminal(limit: limit)
    }
}
