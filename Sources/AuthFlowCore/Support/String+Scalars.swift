extension String {
    /// True when `target`'s scalars occur in this string's, ignoring grapheme boundaries.
    func containsScalars(_ target: String) -> Bool {
        let scalars = Array(unicodeScalars), pattern = Array(target.unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return false }
        return (0...(scalars.count - pattern.count)).contains { scalars[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }

    /// This string with every occurrence of `target`'s scalars replaced, left to right, ignoring
    /// grapheme boundaries (a secret followed by a combining mark is still the secret).
    func replacingScalarOccurrences(of target: String, with replacement: String) -> String {
        let scalars = Array(unicodeScalars), pattern = Array(target.unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return self }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + pattern.count <= scalars.count, scalars[index] == pattern[0], scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
                out.append(contentsOf: replacement.unicodeScalars)
                index += pattern.count
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }
}
