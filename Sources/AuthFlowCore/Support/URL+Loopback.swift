public import Foundation

extension URL {
    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(host: String) -> Bool {
        // Brackets trimmed scalar by scalar, as trimmingCharacters(in: "[]") did, without its NSString
        // bridge: that cost a cached call more runtime type lookups than the rest of validation.
        var scalars = Substring(host).unicodeScalars
        while let first = scalars.first, first == "[" || first == "]" { scalars.removeFirst() }
        while let last = scalars.last, last == "[" || last == "]" { scalars.removeLast() }
        let bare = String(scalars).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
