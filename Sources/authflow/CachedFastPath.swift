import AuthFlowCore
import Foundation

/// The fast path of `authflow header|token|env PROFILE [-c FILE] [--no-cache]`, the shapes scripts
/// call in a loop. The argument parser's runtime reflection costs more than a cached answer, so
/// these exact shapes skip it: a fresh cached token is answered here (for an unchanged file and
/// environment straight from the `ProfileIndex`, without parsing), and a miss (or `--no-cache`)
/// hands the loaded profile to `Runner`, which then does what the command would. Any other shape
/// and any problem before the token request (an unreadable or invalid file, an unknown profile, an
/// unset variable) return nil and the full path runs, which gives every error message its usual
/// shape. Keep it in step with the commands' defaults, `CacheOptions` and `Runner`.
enum CachedFastPath {
    /// What the fast path can do for a call.
    enum Answer {
        /// The complete output, from a fresh cached token.
        case output(String)
        /// No usable cached token: get one for the profile as the command would, and write it.
        case fetch(Profile, writer: any OutputWriter, policy: CachePolicy)
    }

    static func answer(_ arguments: [String]) -> Answer? {
        guard let call = Call(arguments) else { return nil }
        let environment = ProcessInfo.processInfo.environment
        // The same file as the commands', trusted the same way: an untrusted one is nil here, and
        // the full path says why. Its bytes are read once, checked, then looked up or parsed. A file
        // of another user's that the search passes over is noted by the full path only.
        guard let located = try? ProfileLocator(environment: environment).locate(explicit: call.config),
              let bytes = try? ProfileFile.read(path: located.path),
              ProfileFile.mayUse(bytes, from: located, environment: environment) else { return nil }
        let index = ProfileIndex(folder: CacheFolder(environment: environment))
        let key = ProfileIndex.Key(located: located, profile: call.profile, bytes: bytes)
        let recorded = key.flatMap { index.entry(for: $0, environment: environment) }
        let policy = CachePolicy(enabled: !call.noCache)
        // The cached token: through the index's record without parsing, else through the parsed
        // profile (a record is exact, so when it is there the second lookup could only repeat it).
        // A cached token the writer refuses is nil here: the full path gives that error.
        if policy.enabled, let recorded,
           let token = TokenService(environment: environment).cachedToken(key: recorded.cacheKey, skew: recorded.refreshSkew) {
            return (try? call.writer.write(token, options: OutputOptions(profile: call.profile, prefix: recorded.outputPrefix))).map(Answer.output)
        }
        guard let file = try? ProfileFile(bytes: bytes, path: located.path),
              let profile = try? file.profile(named: call.profile, environment: environment) else { return nil }
        if let key, recorded == nil { index.record(profile, of: file, under: key, environment: environment) }
        if policy.enabled, recorded == nil, let token = TokenService(environment: environment).cachedToken(for: profile) {
            return (try? call.writer.write(token, options: OutputOptions(profile: profile.name, prefix: profile.outputPrefix))).map(Answer.output)
        }
        return .fetch(profile, writer: call.writer, policy: policy)
    }

    /// What the command's `run()` does with default options once the profile is loaded: the token
    /// (cache, refresh or grant, as `policy` says), written with `writer`; errors as `Outcome` reports them.
    static func fetch(_ profile: Profile, writer: any OutputWriter, policy: CachePolicy) async -> Outcome {
        await Outcome.of {
            .success(try await Runner.write(profile, service: Runner.service(verbose: false, browser: nil), policy: policy, writer: writer))
        }
    }

    /// The words of a fast-path call, read by `GlobalArguments`: the command, `-c FILE` (the last one wins, as in the parser),
    /// `--no-cache` at most once, and exactly one profile name.
    struct Call {
        var writer: any OutputWriter
        var config: String?
        var profile: String
        var noCache = false

        init?(_ arguments: [String]) {
            guard let command = arguments.first, let writer = Call.writer(for: command) else { return nil }
            var name: String?
            var noCache = false
            let global = GlobalArguments(Array(arguments.dropFirst()))
            for item in global.items {
                switch item.kind {
                case .config(.some):
                    continue
                case .noCache where !noCache:
                    noCache = true
                case .word(let word) where name == nil && word != "help":
                    name = word
                default:
                    return nil
                }
            }
            guard let name else { return nil }
            self.writer = writer
            self.config = global.config
            self.profile = name
            self.noCache = noCache
        }

        /// The writer each fast command uses with no options: the same as the full path's default.
        private static func writer(for command: String) -> (any OutputWriter)? {
            switch command {
            case "header": HeaderWriter()
            case "token": RawWriter()
            case "env": EnvWriter()
            default: nil
            }
        }
    }
}
