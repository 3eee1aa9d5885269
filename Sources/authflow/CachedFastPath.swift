import AuthFlowCore
import Foundation

/// The cached-token fast path. A cached `authflow header|token|env PROFILE [-c FILE]` spends most
/// of its time in the argument parser's runtime reflection, so these exact shapes are answered
/// from the cache before the parser runs. Any other shape, a miss, a stale token or any error
/// returns nil and the full path runs, which gives the same answer for a hit and every error
/// message for the rest. Keep it in step with `CacheOptions`/`Runner` (and with trust checks).
enum CachedFastPath {
    static func answer(_ arguments: [String]) -> String? {
        var words = arguments[...]
        guard let command = words.popFirst(), let writer = writer(for: command) else { return nil }
        var config: String?
        var name: String?
        while let word = words.popFirst() {
            if word == "-c" || word == "--config" {
                guard let value = words.popFirst() else { return nil }
                config = value
            } else if word.hasPrefix("-") || name != nil {
                return nil
            } else {
                name = word
            }
        }
        guard let name else { return nil }
        let environment = ProcessInfo.processInfo.environment
        // The bytes are read once, before parsing: a check of the exact content (trust) goes between.
        guard let located = try? ProfileLocator(environment: environment).locate(explicit: config),
              let bytes = try? ProfileFile.read(path: located.path),
              let file = try? ProfileFile(bytes: bytes, path: located.path),
              let profile = try? file.profile(named: name, environment: environment),
              let token = TokenService(environment: environment).cachedToken(for: profile) else { return nil }
        return try? writer.write(token, options: OutputOptions(profile: profile.name, prefix: profile.outputPrefix))
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
