import ArgumentParser
import AuthFlowCore
import AuthFlowServer
import Foundation

struct ServeCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local Okta-compatible authorization server for development and CI.",
        discussion: "Prints 'listening on http://HOST:PORT' on stderr once it accepts connections; SIGINT or SIGTERM stop it.")

    @Option(name: [.customShort("c", allowingJoined: true), .customLong("config")], help: ArgumentHelp("The server's YAML file (users, clients, authorization servers; default: ./serve.yaml).", valueName: "FILE"))
    var named: String?
    @Flag(name: [.short, .long], help: "Accepted as by every command; serve already logs one line per request on stderr.")
    var verbose = false

    /// The file to load: `--config`, else `serve.yaml` here.
    var config: String { named ?? "serve.yaml" }

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The TCP port; 0 picks a free one.") var port = 8080
    @Option(help: ArgumentHelp("Write the bound port to this file once listening.", valueName: "FILE")) var portFile: String?
    @Option(help: ArgumentHelp("The base URL clients use (the org issuer), advertised in discovery and tokens' iss instead of the listening address: behind a proxy, or with --host 0.0.0.0.",
                               valueName: "URL")) var publicURL: String?

    /// Runs until SIGINT or SIGTERM; nothing on stdout.
    func output() async throws -> String {
        if named == nil, !FileManager.default.fileExists(atPath: config) {
            throw AuthFlowError(.noInput, "no serve.yaml in this folder, and no --config FILE",
                                hint: "pass the server's file, e.g. authflow serve --config examples/serve.yaml (users, clients and authorization servers to start from)")
        }
        if host.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
            var address = in_addr()
            guard inet_pton(AF_INET, host, &address) == 1 else {
                throw AuthFlowError(.usage, "--host '\(host.sanitizedForTerminal())' is not an IPv4 address (each of the four parts is 0 to 255)",
                                    hint: "use --host 127.0.0.1 (this machine only), 0.0.0.0 (every interface), or an address of this machine")
            }
        }
        let publicURL = try publicURL.map(Self.checkedPublicURL)
        let configuration = try ServeConfiguration.load(path: config)
        if !URL.isLoopback(host: host) {
            Console.error("authflow: warning: serving on \(host.sanitizedForTerminal()), not a loopback address: anyone who can reach it can get tokens for the users in \(config.sanitizedForTerminal()) and approve sign-ins through its admin endpoints\nhint: serve is for development and CI; keep --host 127.0.0.1 unless other machines must reach it\n")
        }
        if ServeRunner.isEveryInterface(host), publicURL == nil {
            Console.error("authflow: warning: on every interface, discovery and tokens name http://127.0.0.1:PORT, which only this machine can use\nhint: pass --public-url http://NAME:PORT with the name other machines reach this one by\n")
        }
        try await ServeRunner.run(configuration: configuration, host: host, port: port, publicURL: publicURL, onReady: { [portFile, host] bound in
            Console.error("listening on \(ServeRunner.baseURL(host: host, port: bound))\n")
            let advertised = ServeRunner.advertisedURL(host: host, port: bound, publicURL: publicURL)
            if advertised != ServeRunner.baseURL(host: host, port: bound) { Console.error("issuer (org): \(advertised)\n") }
            if let portFile {
                let temp = portFile + ".tmp"
                try? Data("\(bound)\n".utf8).write(to: URL(fileURLWithPath: temp))
                _ = rename(temp, portFile)
            }
        }, log: { Console.error($0 + "\n") })
        return ""
    }

    /// `--public-url` without a trailing slash: an http or https URL with a host, and no query, fragment or credentials.
    static func checkedPublicURL(_ text: String) throws -> String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil else {
            throw AuthFlowError(.usage, "--public-url '\(text.sanitizedForTerminal(limit: 120))' is not a base URL",
                                hint: "write it as http://HOST:PORT or https://HOST[:PORT][/PATH], the address clients use to reach this server")
        }
        return trimmed
    }
}
