import ArgumentParser
import AuthFlowCore

struct TokenCommand: PrintingCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Print the token in any format (raw by default), including the file's own formats.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Option(help: ArgumentHelp("Output format: \(OutputFormats.names.joined(separator: ", ")), or a name from the file's formats:.", valueName: "FORMAT")) var format = "raw"
    @Flag(help: "Write the ID token instead of the access token (raw, header, curl, k8s).") var idToken = false

    func output() async throws -> String {
        if idToken, format == "json" {
            // JSON is the whole response, ID token included: the flag would change nothing, so say so.
            throw AuthFlowError(.usage, "--id-token does not apply to --format json",
                                hint: "the JSON already holds the ID token as id_token when the scopes include openid; drop --id-token, or use --format raw --id-token")
        }
        let file = try Runner.loadFile(options)
        guard let writer = file.writer(named: format) else {
            let known = OutputFormats.names + file.formats.keys.sorted()
            throw AuthFlowError(.usage, "unknown format '\(format)'", hint: "formats: \(known.joined(separator: ", "))")
        }
        return try await Runner.write(profile: profile, options: options, cache: cache, writer: writer, file: file) { output, _ in output.useIDToken = idToken }
    }
}
