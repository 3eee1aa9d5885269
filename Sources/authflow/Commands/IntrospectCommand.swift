import ArgumentParser
import AuthFlowCore

struct IntrospectCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "introspect", abstract: "Ask the authorization server about a token (RFC 7662), as the profile's client.",
        discussion: "Prints the server's answer as JSON: exit 0 when the token is active, 1 when not. Without --token or -, asks about the profile's current token.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile: its server and client credentials.", completion: .profileNames) var profile: String
    @Argument(help: ArgumentHelp("- reads the token from stdin.", valueName: "-")) var dash: String?
    @Option(help: ArgumentHelp("The token to ask about; - reads it from stdin.", valueName: "TOKEN")) var token: String?
    @Option(help: ArgumentHelp("The token_type_hint sent: access_token, refresh_token, or none.", valueName: "TYPE")) var tokenTypeHint = "access_token"

    func validate() throws {
        guard ["access_token", "refresh_token", "none"].contains(tokenTypeHint) else {
            throw ValidationError("--token-type-hint: '\(tokenTypeHint)' is not access_token, refresh_token or none")
        }
    }

    /// The server's answer either way; exit 0 when the token is active.
    func outcome() async throws -> Outcome {
        let loaded = try Runner.profile(profile, options)
        let given = try TokenArgument.read(option: token, dash: dash)
        let hint = tokenTypeHint == "none" ? nil : tokenTypeHint
        let result = try await Introspector(service: Runner.service(options)).introspect(given, hint: hint, profile: loaded, cache: cache.policy)
        return .verdict(result.response.serialized(pretty: true) + "\n", positive: result.active)
    }
}
