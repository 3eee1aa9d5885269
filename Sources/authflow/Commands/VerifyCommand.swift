import ArgumentParser
import AuthFlowCore

struct VerifyCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check an access token as a resource server would: signature (issuer's JWKS), iss, aud, times, cid, scopes; or an ID token.",
        discussion: """
            Prints 'valid: sub=... aud=... exp=...' (exit 0) or 'invalid: CHECK: reason' (exit 1). Without --token or -, \
            verifies the profile's current token. Failures to get the token or the keys keep their own exit codes.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The profile: its issuer, keys and settings.", completion: .profileNames) var profile: String
    @Argument(help: ArgumentHelp("- reads the token from stdin.", valueName: "-")) var dash: String?
    @Option(help: ArgumentHelp("The token to verify; - reads it from stdin.", valueName: "TOKEN")) var token: String?
    @Option(name: .customLong("audience"), help: ArgumentHelp("Accept this audience (repeatable); default: the profile's.", valueName: "A")) var audiences: [String] = []
    @Option(name: .customLong("scope"), help: ArgumentHelp("Require this scope (repeatable).", valueName: "S")) var scopes: [String] = []
    @Flag(help: "Require cid (or client_id) to be the profile's client id.") var cid = false
    @OptionGroup var cache: CacheOptions
    @Option(help: ArgumentHelp("Clock leeway for exp, nbf and iat (default: the profile's verify.leeway or 60s; at most 120s).", valueName: "D"),
            transform: Duration.argument) var leeway: Duration?
    @Flag(help: "Print every check as JSON.") var json = false
    @Flag(help: "Verify an ID token (the profile's, or --token's): aud is the client id, azp when present, iat required; no scopes, no cid.") var idToken = false

    func validate() throws {
        if idToken, !scopes.isEmpty || cid {
            throw ValidationError("\(scopes.isEmpty ? "--cid" : "--scope") does not apply with --id-token: an ID token grants no scopes and names its client in aud")
        }
    }

    /// The verdict either way; exit 0 when the token is valid.
    func outcome() async throws -> Outcome {
        let loaded = try Runner.profile(profile, options)
        var request = VerifyRequest()
        request.token = try TokenArgument.read(option: token, dash: dash)
        request.audiences = audiences
        request.requiredScopes = scopes
        request.checkClient = cid
        request.minTTL = cache.minTTL
        request.leeway = leeway
        request.cache = cache.policy
        request.idToken = idToken
        let (report, issuer) = try await ProfileVerifier(service: Runner.service(options)).verify(request, profile: loaded)
        return .verdict(json ? report.json(profile: loaded.name, issuer: issuer).serialized(pretty: true) + "\n" : report.line, positive: report.isValid)
    }
}
