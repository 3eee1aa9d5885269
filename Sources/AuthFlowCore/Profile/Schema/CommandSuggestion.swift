/// "Did you mean" for the CLI's words (subcommands), with the same closeness rule as profile keys.
public enum CommandSuggestion {
    /// `did you mean 'WORD'?` for the closest of `candidates` to `word`, or nil when none is close.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        Suggestion.didYouMean(word, in: candidates)
    }
}
