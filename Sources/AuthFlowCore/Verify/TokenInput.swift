/// A token as a user hands it over (`--token T`, or stdin with `-`): surrounding whitespace and a
/// leading `Authorization:` or `Bearer` removed, so `authflow header prod | authflow inspect -` works.
public enum TokenInput {
    /// The largest token accepted, as `JWTParts` caps it.
    public static let maximumLength = 64 * 1024

    /// The token in `text`; a usage error (64) when there is none, or it is not one word of visible characters.
    public static func token(from text: String) throws -> String {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        for prefix in ["authorization:", "bearer "] where rest.lowercased().hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count).drop { $0 == " " || $0 == "\t" }
        }
        guard !rest.isEmpty else {
            throw AuthFlowError(.usage, "no token given", hint: "pass --token TOKEN, or - to read it from stdin")
        }
        guard rest.utf8.count <= maximumLength else {
            throw AuthFlowError(.usage, "the token is longer than \(maximumLength / 1024) KiB", hint: "pass a single access token")
        }
        guard rest.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw AuthFlowError(.usage, "the token holds spaces, control or non-ASCII characters", hint: "pass a single token: one word, as the server issued it")
        }
        return String(rest)
    }
}
