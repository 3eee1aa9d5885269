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

extension CachePolicy {
    /// The warning for a `--min-ttl` at least as long as the life the server grants a token
    /// (`lifetime`, from now to its expiry): such a token is never fresh enough to come from the
    /// cache, so every call asks the server again. Nil when `--min-ttl` is unset or shorter.
    public func minTTLWarning(lifetime: Double) -> String? {
        guard let minTTL, Duration.seconds(lifetime) <= minTTL else { return nil }
        let granted = Self.spoken(Int(lifetime.rounded())), asked = Self.spoken(Int(minTTL.components.seconds))
        return "--min-ttl \(asked) is not less than the \(granted) the server grants this token, so every call requests a new one; "
            + "use a --min-ttl under \(granted), or ask the server for longer tokens"
    }

    /// `3600` → `1h`, `5400` → `1h 30m`, `45` → `45s`.
    static func spoken(_ seconds: Int) -> String {
        let value = max(0, seconds)
        let parts = [(value / 3600, "h"), (value % 3600 / 60, "m"), (value % 60, "s")].filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }
        return parts.isEmpty ? "0s" : parts.joined(separator: " ")
    }
}
