import ArgumentParser
import AuthFlowCore

/// The cache flags of the commands that get a token.
struct CacheOptions: ParsableArguments {
    @Flag(help: "Neither read nor write the token cache.")
    var noCache = false

    @Flag(help: "Ignore a cached access token (a cached refresh token is still used).")
    var refresh = false

    @Option(help: ArgumentHelp("A cached token needs at least this much life left (e.g. 10m).", valueName: "D"))
    var minTTL: String?

    func validate() throws {
        if let minTTL, Duration.parse(minTTL) == nil {
            throw ValidationError("--min-ttl: '\(minTTL)' is not a duration; write e.g. 90s, 10m or 1h")
        }
    }

    /// These flags with `other`'s added: a flag set in either is set; `other`'s --min-ttl wins.
    func merging(_ other: CacheOptions) -> CacheOptions {
        var merged = self
        merged.noCache = noCache || other.noCache
        merged.refresh = refresh || other.refresh
        merged.minTTL = other.minTTL ?? minTTL
        return merged
    }

    var policy: CachePolicy {
        CachePolicy(enabled: !noCache, ignoreCachedAccessToken: refresh, minTTL: minTTL.flatMap(Duration.parse))
    }
}
