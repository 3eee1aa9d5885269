public import Foundation

/// An issuer's key set as fetched from its `jwks_uri`, with the time of the fetch.
public struct KeySet: Sendable {
    /// The keys, as the JWKS's JSON objects.
    public let keys: [JSONValue]
    /// When they were fetched.
    public let fetchedAt: Date

    /// Creates a key set.
    public init(keys: [JSONValue], fetchedAt: Date) {
        self.keys = keys
        self.fetchedAt = fetchedAt
    }

    /// The signing keys: `use` absent or `sig`, and `key_ops`, if present, allowing `verify`.
    public var signingKeys: [[String: JSONValue]] {
        keys.compactMap(\.object).filter { key in
            (key["use"] == nil || key["use"]?.string == "sig")
                && (key["key_ops"].map { ($0.array ?? []).contains(.string("verify")) } ?? true)
        }
    }
}

/// Key sets in the cache folder, one file per issuer (`jwks-HASH.json`, 0600, written atomically).
/// The file records when the set was fetched, which both ages it out and rate-limits refetches.
public struct JWKSCache: Sendable {
    struct Entry: Codable {
        var format = "authflow-jwks/1"
        var issuer: String
        var url: String
        var fetchedAt: Date
        var keys: [JSONValue]
    }

    /// The cache folder.
    public let folder: CacheFolder

    /// A key-set cache in `folder`.
    public init(folder: CacheFolder) { self.folder = folder }

    /// The file name: a hash of the issuer, so nothing from a token or a server reaches a path.
    func name(_ issuer: String) -> String {
        CacheKey.fileName("jwks", for: issuer)
    }

    /// The stored set of `issuer` fetched from `url`, whatever its age; nil when absent or unreadable.
    public func keySet(issuer: String, url: URL) -> KeySet? {
        guard let entry = folder.decoded(Entry.self, from: name(issuer)),
              entry.format == "authflow-jwks/1", entry.issuer == issuer, entry.url == url.absoluteString else { return nil }
        return KeySet(keys: entry.keys, fetchedAt: entry.fetchedAt)
    }

    /// Stores `set` for `issuer`; a write failure only costs a refetch next time.
    public func store(_ set: KeySet, issuer: String, url: URL) {
        let entry = Entry(issuer: issuer, url: url.absoluteString, fetchedAt: set.fetchedAt, keys: set.keys)
        try? folder.write(json: entry, to: name(issuer))
    }
}
