import ArgumentParser
import AuthFlowCore

struct HeaderCommand: PrintingCommand {
    static let configuration = CommandConfiguration(commandName: "header", abstract: "Print 'Authorization: Bearer TOKEN': curl -H \"$(authflow header PROFILE)\" URL.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Flag(help: "Write the ID token instead of the access token.") var idToken = false

    func output() async throws -> String {
        try await Runner.write(profile: profile, options: options, cache: cache, writer: HeaderWriter()) { output, _ in output.useIDToken = idToken }
    }
}
