/// How one call uses the token cache (`--no-cache`, `--refresh`, `--min-ttl`).
public struct CachePolicy: Sendable {
    /// Read and write the cache at all.
    public var enabled: Bool
    /// Skip a cached access token (a cached refresh token is still used).
    public var ignoreCachedAccessToken: Bool
    /// A cached token needs at least this much life left; raises the profile's `refresh_skew`.
    public var minTTL: Duration?
    /// How long to wait for another process holding the profile's cache lock.
    public var lockTimeout: Duration

    /// Creates a policy; by default the cache is used.
    public init(enabled: Bool = true, ignoreCachedAccessToken: Bool = false, minTTL: Duration? = nil, lockTimeout: Duration = .seconds(60)) {
        self.enabled = enabled
        self.ignoreCachedAccessToken = ignoreCachedAccessToken
        self.minTTL = minTTL
        self.lockTimeout = lockTimeout
    }

    /// The life a cached token must have left for `profile`.
    public func skew(for profile: Profile) -> Duration {
        max(profile.refreshSkew, minTTL ?? .zero)
    }
}
