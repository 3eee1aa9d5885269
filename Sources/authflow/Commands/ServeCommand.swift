import ArgumentParser
import AuthFlowCore
import AuthFlowServer
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local Okta-compatible authorization server for development and CI.",
        discussion: "Prints 'listening on http://HOST:PORT' on stderr once it accepts connections; SIGINT or SIGTERM stop it.")

    @Option(name: [.short, .customLong("config")], help: ArgumentHelp("The server's YAML file (users, clients, authorization servers).", valueName: "FILE"))
    var config = "serve.yaml"

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The TCP port; 0 picks a free one.") var port = 8080
    @Option(help: ArgumentHelp("Write the bound port to this file once listening.", valueName: "FILE")) var portFile: String?

    func run() async throws {
        do {
            let configuration = try ServeConfiguration.load(path: config)
            if !URL.isLoopback(host: host) {
                Console.error("authflow: warning: serving on \(host.sanitizedForTerminal()), not a loopback address: anyone who can reach it can get tokens for the users in \(config.sanitizedForTerminal()) and approve sign-ins through its admin endpoints\nhint: serve is for development and CI; keep --host 127.0.0.1 unless other machines must reach it\n")
            }
            try await ServeRunner.run(configuration: configuration, host: host, port: port, onReady: { [portFile, host] bound in
                Console.error("listening on \(ServeRunner.baseURL(host: host, port: bound))\n")
                if let portFile {
                    let temp = portFile + ".tmp"
                    try? Data("\(bound)\n".utf8).write(to: URL(fileURLWithPath: temp))
                    _ = rename(temp, portFile)
                }
            }, log: { Console.error($0 + "\n") })
        } catch {
            throw ExitCode(Runner.report(error))
        }
    }
}
