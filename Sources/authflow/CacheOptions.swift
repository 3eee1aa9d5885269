import ArgumentParser
import AuthFlowCore

/// The cache flags of the commands that get a token (and of `verify`, which also caches keys).
struct CacheOptions: ParsableArguments {
    @Flag(help: "Neither read nor write the caches (tokens; for verify, keys too).")
    var noCache = false

    @Flag(help: "Ignore a cached access token (a cached refresh token is still used).")
    var refresh = false

    @Option(help: ArgumentHelp("A cached token needs at least this much life left (e.g. 10m); verify also requires it of the token it checks.", valueName: "D"),
            transform: Duration.argument)
    var minTTL: Duration?

    /// These flags with `other`'s added: a flag set in either is set; `other`'s --min-ttl wins.
    func merging(_ other: CacheOptions) -> CacheOptions {
        var merged = self
        merged.noCache = noCache || other.noCache
        merged.refresh = refresh || other.refresh
        merged.minTTL = other.minTTL ?? minTTL
        return merged
    }

    var policy: CachePolicy {
        CachePolicy(enabled: !noCache, ignoreCachedAccessToken: refresh, minTTL: minTTL)
    }
}

extension Duration {
    /// A duration option's value (`90s`, `10m`, `1h30m`), parsed as the profile file's durations are.
    static func argument(_ text: String) throws -> Duration {
        guard let duration = Duration.parse(text) else {
            throw ValidationError("'\(text)' is not a duration; write e.g. 90s, 10m or 1h")
        }
        return duration
    }
}
