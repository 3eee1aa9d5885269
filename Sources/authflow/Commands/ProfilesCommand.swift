import ArgumentParser
import AuthFlowCore
import Foundation

struct ProfilesCommand: PrintingCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "List the profiles: name, grant, and where tokens come from.")

    @OptionGroup var options: FileOptions
    @Flag(help: "Print JSON.") var json = false

    func output() async throws -> String {
        // Listing resolves nothing, so an untrusted file may be listed, with a note.
        let located = try ProfileLocator(environment: Runner.environment, note: { Console.error($0) }).locate(explicit: options.config)
        let file = try ProfileFile.load(located, environment: Runner.environment, requireTrust: false)
        // An untrusted file expands no variable: its text could otherwise print any of them.
        let trusted = located.origin != .search || (try? file.trustVerdict(environment: Runner.environment)) == .trusted
        if !trusted {
            Console.error("authflow: note: \(file.path) is not trusted; commands that get tokens refuse it until you run: authflow trust \(file.path)\n")
        }
        let cache = TokenCache(folder: CacheFolder(environment: Runner.environment))
        let rows = file.profileNames.map { name in ProfileSummary(file: file, name: name, environment: trusted ? Runner.environment : nil, cache: cache) }
        if json {
            return JSONValue.array(rows.map(\.json)).serialized(pretty: true) + "\n"
        }
        let width = max(7, rows.map(\.name.count).max() ?? 0)
        let grantWidth = max(5, rows.map(\.grant.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
        let cacheWidth = max(6, rows.map(\.cacheState.count).max() ?? 0)
        var out = "\(pad("PROFILE", width))  \(pad("GRANT", grantWidth))  \(pad("CACHED", cacheWidth))  SOURCE\n"
        for row in rows {
            out += "\(pad(row.name, width))  \(pad(row.grant, grantWidth))  \(pad(row.cacheState, cacheWidth))  \(row.source)\n"
        }
        return out
    }
}

/// One line of `authflow profiles`.
struct ProfileSummary {
    let name: String
    let grant: String
    let source: String
    let issuer: String?
    let tokenURL: String?
    let problem: String?
    /// The token source as the file writes it, for a profile of an untrusted file that names a variable.
    private(set) var written: String?
    private(set) var cached: CacheEntry?
    let now = Date()

    /// The row for profile `name`; a nil `environment` shows the file as written, no variable
    /// expanded (a file that is not trusted), and no cached state.
    init(file: ProfileFile, name: String, environment: [String: String]?, cache: TokenCache) {
        self.name = name
        do {
            let profile: Profile
            if let environment {
                profile = try file.profile(named: name, environment: environment)
                cached = cache.entry(for: CacheKey(profile))
            } else if let written = file.profileAsWritten(named: name) {
                profile = written
            } else {
                grant = "?"
                issuer = nil
                tokenURL = nil
                problem = nil
                source = file.writtenTokenSource(of: name)
                written = source
                return
            }
            grant = profile.grant.name
            let endpoints = Endpoints.staticEndpoints(for: profile.source)
            if case .issuer(let url) = profile.source {
                issuer = url.absoluteString
                tokenURL = nil
                source = "issuer \(url.absoluteString)"
            } else {
                issuer = endpoints?.issuer?.absoluteString
                tokenURL = endpoints?.token.absoluteString
                source = tokenURL ?? "?"
            }
            problem = nil
        } catch let error as DiagnosticsError {
            grant = "?"
            issuer = nil
            tokenURL = nil
            problem = error.diagnostics.first?.message ?? "invalid"
            source = "(\(problem ?? ""))"
        } catch {
            grant = "?"
            issuer = nil
            tokenURL = nil
            problem = String(describing: error)
            source = "(\(problem ?? ""))"
        }
    }

    /// "52m left", "expired, refreshable", "expired" or "-".
    var cacheState: String {
        guard let cached else { return "-" }
        let left = cached.expiresAt.timeIntervalSince(now)
        if left > 0 { return "\(Self.describe(left)) left" }
        return cached.refreshToken == nil && cached.refreshTokenInKeyring != true ? "expired" : "expired, refreshable"
    }

    static func describe(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds)
        if whole >= 3600 { return "\(whole / 3600)h\(whole % 3600 / 60)m" }
        if whole >= 60 { return "\(whole / 60)m" }
        return "\(whole)s"
    }

    var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "grant": .string(grant)]
        if let cached {
            members["cached"] = .object([
                "expires_at": .number(cached.expiresAt.timeIntervalSince1970.rounded(.down)),
                "seconds_left": .number(max(0, cached.expiresAt.timeIntervalSince(now)).rounded(.down)),
                "refresh_token": .bool(cached.refreshToken != nil || cached.refreshTokenInKeyring == true),
            ])
        } else {
            members["cached"] = .null
        }
        if let issuer { members["issuer"] = .string(issuer) }
        if let tokenURL { members["token_url"] = .string(tokenURL) }
        if let problem { members["problem"] = .string(problem) }
        if let written { members["source_as_written"] = .string(written) }
        return .object(members)
    }
}
