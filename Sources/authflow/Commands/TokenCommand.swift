import ArgumentParser
import AuthFlowCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Print the token in any format (raw by default).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.") var profile: String
    @Option(help: ArgumentHelp("Output format: \(OutputFormats.names.joined(separator: ", ")).", valueName: "FORMAT")) var format = "raw"
    @Flag(help: "Write the ID token instead of the access token (raw, header).") var idToken = false

    func validate() throws {
        guard OutputFormats.named(format) != nil else {
            throw ValidationError("unknown format '\(format)'; choose one of \(OutputFormats.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        guard let writer = OutputFormats.named(format) else { throw ExitCode(64) }
        await Runner.run {
            try await Runner.write(profile: profile, options: options, cache: cache, writer: writer) { output, _ in output.useIDToken = idToken }
        }
    }
}
