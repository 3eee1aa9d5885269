import ArgumentParser
import AuthFlowCore

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cache", abstract: "Manage the token cache.", subcommands: [Clear.self])

    struct Clear: PrintingCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Forget cached tokens: one profile's, or all.")

        @OptionGroup var options: FileOptions
        @Argument(help: "The profile (default: every cached token).", completion: .profileNames) var profile: String?

        func output() async throws -> String {
            let folder = CacheFolder(environment: Runner.environment)
            let cache = TokenCache(folder: folder, warn: Runner.warn)
            guard let profile else {
                let count = cache.removeAll()
                ProfileIndex(folder: folder).removeAll()
                return "removed \(count) cached token\(count == 1 ? "" : "s")\n"
            }
            // Forgetting a token resolves nothing, so an untrusted file may name it.
            let key = CacheKey(try Runner.loadFile(config: options.config, requireTrust: false).profile(named: profile, environment: Runner.environment))
            let had = cache.entry(for: key) != nil
            cache.forget(key)
            return had ? "removed the cached token of \(profile)\n" : "no cached token for \(profile)\n"
        }
    }
}
