import ArgumentParser
import AuthFlowCore

struct VerifyCommand: AsyncParsableCommand {
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
    @Option(help: ArgumentHelp("Require at least this much life left (e.g. 10m).", valueName: "D")) var minTTL: String?
    @Option(help: ArgumentHelp("Clock leeway for exp, nbf and iat (default: the profile's verify.leeway or 60s; at most 120s).", valueName: "D")) var leeway: String?
    @Flag(help: "Neither read nor write the token and key caches.") var noCache = false
    @Flag(help: "Ignore a cached access token when verifying the profile's own.") var refresh = false
    @Flag(help: "Print every check as JSON.") var json = false
    @Flag(help: "Verify an ID token (the profile's, or --token's): aud is the client id, azp when present, iat required; no scopes, no cid.") var idToken = false

    func validate() throws {
        for (flag, value) in [("--min-ttl", minTTL), ("--leeway", leeway)] {
            if let value, Duration.parse(value) == nil { throw ValidationError("\(flag): '\(value)' is not a duration; write e.g. 90s or 10m") }
        }
        if idToken, !scopes.isEmpty || cid {
            throw ValidationError("\(scopes.isEmpty ? "--cid" : "--scope") does not apply with --id-token: an ID token grants no scopes and names its client in aud")
        }
    }

    func run() async throws {
        await Runner.runVerdict {
            let loaded = try Runner.profile(profile, options)
            var request = VerifyRequest()
            request.token = try TokenArgument.read(option: token, dash: dash)
            request.audiences = audiences
            request.requiredScopes = scopes
            request.checkClient = cid
            request.minTTL = minTTL.flatMap(Duration.parse)
            request.leeway = leeway.flatMap(Duration.parse)
            request.cache = CachePolicy(enabled: !noCache, ignoreCachedAccessToken: refresh, minTTL: request.minTTL)
            request.idToken = idToken
            let (report, issuer) = try await ProfileVerifier(service: Runner.service(options)).verify(request, profile: loaded)
            return (json ? report.json(profile: loaded.name, issuer: issuer).serialized(pretty: true) + "\n" : report.line, report.isValid)
        }
    }
}
