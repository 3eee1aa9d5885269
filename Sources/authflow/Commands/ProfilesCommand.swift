import ArgumentParser
import AuthFlowCore
import Foundation

struct ProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "List the profiles: name, grant, and where tokens come from.")

    @OptionGroup var options: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        await Runner.run {
            let file = try Runner.loadFile(options)
            let rows = file.profileNames.map { name in ProfileSummary(file: file, name: name, environment: Runner.environment) }
            if json {
                return JSONValue.array(rows.map(\.json)).serialized(pretty: true) + "\n"
            }
            let width = max(7, rows.map(\.name.count).max() ?? 0)
            let grantWidth = max(5, rows.map(\.grant.count).max() ?? 0)
            func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
            var out = "\(pad("PROFILE", width))  \(pad("GRANT", grantWidth))  SOURCE\n"
            for row in rows {
                out += "\(pad(row.name, width))  \(pad(row.grant, grantWidth))  \(row.source)\n"
            }
            return out
        }
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

    init(file: ProfileFile, name: String, environment: [String: String]) {
        self.name = name
        do {
            let profile = try file.profile(named: name, environment: environment)
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

    var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "grant": .string(grant)]
        if let issuer { members["issuer"] = .string(issuer) }
        if let tokenURL { members["token_url"] = .string(tokenURL) }
        if let problem { members["problem"] = .string(problem) }
        return .object(members)
    }
}
