extension TokenService {
    /// The profile's cached token when more than its `refresh_skew` is left: no lock, no secret,
    /// no connection. nil on a miss, a stale entry, or a cache folder that cannot be trusted.
    public func cachedToken(for profile: Profile) -> TokenSet? {
        let folder = CacheFolder(environment: environment)
        guard (try? folder.prepare()) != nil,
              let entry = TokenCache(folder: folder).entry(for: CacheKey(profile)),
              entry.isFresh(at: now(), skew: profile.refreshSkew) else { return nil }
        return entry.token
    }
}
