import ArgumentParser
import AuthFlowCore
import Foundation

struct InspectCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Decode a JWT without verifying it: header, claims, times (local and relative), scopes.",
        discussion: "Give a PROFILE (its current token), --token TOKEN, or - to read the token from stdin.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: ArgumentHelp("A profile (its current token), or - to read the token from stdin.", valueName: "PROFILE|-"), completion: .profileNames) var target: String?
    @Option(help: ArgumentHelp("The token to decode; - reads it from stdin.", valueName: "TOKEN")) var token: String?
    @Flag(help: "Decode the profile's ID token instead of its access token.") var idToken = false
    @Flag(help: "Print JSON.") var json = false

    func output() async throws -> String {
        let inspector = TokenInspector(time: RelativeTime(now: Date()), colour: !json && Runner.colour)
        let text = try await input()
        return json ? inspector.json(text).serialized(pretty: true) + "\n" : inspector.text(text)
    }

    private func input() async throws -> String {
        if let given = try TokenArgument.read(option: token, dash: target == "-" ? "-" : nil) {
            guard target == nil || target == "-" else { throw AuthFlowError(.usage, "give a profile or a token, not both", hint: "authflow inspect PROFILE, or authflow inspect --token TOKEN") }
            guard !idToken else { throw AuthFlowError(.usage, "--id-token picks a profile's ID token; a given token is decoded as it is", hint: "authflow inspect PROFILE --id-token") }
            return given
        }
        guard let target else { throw AuthFlowError(.usage, "nothing to inspect", hint: "authflow inspect PROFILE, --token TOKEN, or - to read stdin") }
        let tokens = try await Runner.token(for: try Runner.profile(target, options), options, cache: cache)
        guard idToken else { return tokens.accessToken }
        guard let id = tokens.idToken else { throw AuthFlowError(.protocolError, "the token response of \(target) has no ID token", hint: "add openid to the profile's scopes") }
        return id
    }
}
