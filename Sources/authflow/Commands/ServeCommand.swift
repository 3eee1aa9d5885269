import ArgumentParser
import AuthFlowCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run a local Okta-compatible authorization server for development and CI.")

    func run() async throws {
        await Runner.run { throw AuthFlowError(.usage, "serve is not available yet") }
    }
}
