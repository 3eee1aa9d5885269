extension String {
    /// The string, or nil when it is empty.
    public var nonEmpty: String? { isEmpty ? nil : self }

    /// The rest of the string after `prefix`, or nil when it does not start with it.
    public func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    /// True for a POSIX-style variable name: `^[A-Za-z_][A-Za-z0-9_]*$`.
    var isValidVariableName: Bool {
        guard let first = unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
