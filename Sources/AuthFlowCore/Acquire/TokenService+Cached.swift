extension TokenService {
    /// The profile's cached token when more than its `refresh_skew` is left: no lock, no secret,
    /// no connection. nil on a miss, a stale entry, or a cache folder that cannot be trusted.
    /// A `keyring` profile whose entry still holds a refresh token in its file is a miss: the full
    /// path moves the refresh token to the keychain.
    public func cachedToken(for profile: Profile) -> TokenSet? {
        let folder = CacheFolder(environment: environment)
        guard (try? folder.prepare()) != nil,
              let entry = TokenCache(folder: folder).entry(for: CacheKey(profile)),
              entry.isFresh(at: now(), skew: profile.refreshSkew), !Self.mustMove(entry, of: profile) else { return nil }
        return entry.token
    }

    /// The token cached under `key` when more than `skew` of its life is left.
    public func cachedToken(key: CacheKey, skew: Duration) -> TokenSet? {
        let folder = CacheFolder(environment: environment)
        guard (try? folder.prepare()) != nil,
              let entry = TokenCache(folder: folder).entry(for: key),
              entry.isFresh(at: now(), skew: skew) else { return nil }
        return entry.token
    }
}
