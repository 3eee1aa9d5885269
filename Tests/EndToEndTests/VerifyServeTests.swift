import Foundation
import Testing

/// `authflow verify`, `inspect` and `introspect`, the built binary against `authflow serve`
/// (RS256 JWT access tokens with Okta's claims, a JWKS, RFC 7662 introspection).
/// A verdict is stdout's one line with exit 0 or 1 and nothing on stderr; failures to get the token
/// or the keys keep their exit codes with an empty stdout.
@Suite("verify, inspect and introspect against authflow serve", .authorizationServers)
struct VerifyServeTests {
    /// A sandbox with profiles for the default, aus_custom1 and org servers, and the server.
    func sandbox() async throws -> (Sandbox, any AuthorizationServerProcess) {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file([
            "dev": server.passwordProfile("default", scopes: "[openid, profile, api:read]"),
            "custom": server.passwordProfile("aus_custom1", scopes: "[openid, api:read]"),
            "org": server.passwordProfile("org", scopes: "[openid, api:read]"),
            "down": "domain: http://127.0.0.1:1\nauth_server: default\nretries: 0\n" + server.client() + server.passwordGrant(),
        ]))
        return (sandbox, server)
    }

    /// Exit 1, the verdict `invalid: CHECK: ...` on stdout, nothing on stderr.
    func expectInvalid(_ result: RunResult, _ check: String, _ fragment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.hasPrefix("invalid: \(check): ") && result.stdout.contains(fragment), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line; \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
    }

    func token(_ sandbox: Sandbox, _ arguments: String...) async throws -> String {
        try await sandbox.run(["token"] + arguments).expectSuccess().trimmingCharacters(in: .newlines)
    }

    @Test func theProfilesOwnTokenIsValid() async throws {
        let (sandbox, _) = try await sandbox()
        let stdout = try await sandbox.run("verify", "dev", "--scope", "api:read", "--scope", "openid", "--cid", "--min-ttl", "10m").expectSuccess()
        #expect(stdout.hasPrefix("valid: sub=testuser1@example.com aud=api://default exp=20"), "\(stdout)")
        #expect(stdout.hasSuffix("Z\n"))
    }

    @Test func jsonListsEveryCheck() async throws {
        let (sandbox, server) = try await sandbox()
        let stdout = try await sandbox.run("verify", "dev", "--json").expectSuccess()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        #expect(json["valid"] as? Bool == true)
        #expect(json["issuer"] as? String == server.issuer("default"))
        let checks = try #require(json["checks"] as? [[String: String]])
        #expect(checks.map { $0["check"] ?? "" } == ["format", "header", "alg", "kid", "signature", "token_type", "iss", "aud", "exp", "nbf", "iat", "cid", "scope", "min_ttl"])
        #expect(checks.allSatisfy { $0["result"] != "fail" })
        #expect(json["failed"] is NSNull, "failed is present and null when valid: \(stdout)")
        let invalid = try await sandbox.run("verify", "dev", "--json", "--scope", "api:write")
        let refused = try #require(try JSONSerialization.jsonObject(with: Data(invalid.stdout.utf8)) as? [String: Any], "\(invalid)")
        #expect(Set(refused.keys) == Set(json.keys), "the same members valid or not: \(refused.keys.sorted()) vs \(json.keys.sorted())")
        #expect(refused["failed"] as? String == "scope" && refused["valid"] as? Bool == false)
    }

    @Test func aMissingScopeIsAVerdictNotAnError() async throws {
        let (sandbox, _) = try await sandbox()
        expectInvalid(try await sandbox.run("verify", "dev", "--scope", "api:write"), "scope", "missing api:write")
    }

    @Test func aTamperedTokenFailsItsSignature() async throws {
        let (sandbox, _) = try await sandbox()
        var parts = try await token(sandbox, "dev").split(separator: ".").map(String.init)
        let claims = try #require(Data(base64Encoded: base64(parts[1])))
        let forged = String(decoding: claims, as: UTF8.self).replacingOccurrences(of: "testuser1@example.com", with: "admin@example.com")
        parts[1] = Data(forged.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        expectInvalid(try await sandbox.run("verify", "dev", "--token", parts.joined(separator: ".")), "signature", "does not match")
    }

    @Test func anIDTokenIsNotAnAccessToken() async throws {
        let (sandbox, _) = try await sandbox()
        let idToken = try await token(sandbox, "dev", "--id-token")
        expectInvalid(try await sandbox.run("verify", "dev", "--token", idToken), "token_type", "ID token")
    }

    @Test("verify --id-token: the profile's ID token is valid, for the client id, on a custom and on the org server", arguments: ["dev", "org"])
    func theProfilesIDTokenIsValid(profile: String) async throws {
        let (sandbox, server) = try await sandbox()
        let stdout = try await sandbox.run("verify", profile, "--id-token", "--min-ttl", "1m").expectSuccess()
        // An ID token's sub is the user's id (00u...), an access token's the username, as at Okta.
        #expect(stdout.hasPrefix("valid: sub=00u") && stdout.contains(" aud=\(server.fixture.clientID) exp=20"), "\(stdout)")
    }

    @Test("verify --id-token --json: the same members and checks as for an access token; cid and scope do not apply")
    func idTokenJSON() async throws {
        let (sandbox, server) = try await sandbox()
        let stdout = try await sandbox.run("verify", "dev", "--id-token", "--json").expectSuccess()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["valid", "profile", "issuer", "failed", "checks", "claims"])
        #expect(json["valid"] as? Bool == true && json["failed"] is NSNull && json["issuer"] as? String == server.issuer("default"))
        let checks = try #require(json["checks"] as? [[String: String]])
        #expect(checks.map { $0["check"] ?? "" } == ["format", "header", "alg", "kid", "signature", "token_type", "iss", "aud", "exp", "nbf", "iat", "cid", "scope", "min_ttl"])
        let results = Dictionary(checks.map { ($0["check"] ?? "", $0["result"] ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(results["aud"] == "pass" && results["iat"] == "pass" && results["cid"] == "skip" && results["scope"] == "skip", "\(checks)")
        #expect((json["claims"] as? [String: Any])?["aud"] as? String == server.fixture.clientID)
    }

    @Test("verify --id-token refuses an access token, and an ID token for another audience")
    func idTokenChecksWhatItIs() async throws {
        let (sandbox, _) = try await sandbox()
        let accessToken = try await token(sandbox, "dev")
        expectInvalid(try await sandbox.run("verify", "dev", "--id-token", "--token", accessToken), "token_type", "not an ID token")
        expectInvalid(try await sandbox.run("verify", "dev", "--id-token", "--audience", "someone-else"), "aud", "not for someone-else")
        let custom = try await token(sandbox, "custom", "--id-token")
        expectInvalid(try await sandbox.run("verify", "dev", "--id-token", "--token", custom), "iss", "aus_custom1")
    }

    @Test("verify --id-token: --scope and --cid do not apply (64); a profile without an ID token is 76 with a hint to ask for openid")
    func idTokenMisuse() async throws {
        let (sandbox, server) = try await sandbox()
        let scoped = try await sandbox.run("verify", "dev", "--id-token", "--scope", "api:read")
        #expect(scoped.exitCode == 64 && scoped.stdout.isEmpty && scoped.stderr.contains("--scope does not apply with --id-token"), "\(scoped)")
        try sandbox.write(ProfileYAML.file(["cc": server.okta("default") + server.client() + "grant: client_credentials\nscopes: [api:read]\n"]))
        let result = try await sandbox.run("verify", "cc", "--id-token")
        result.expectFailure(76, "has no ID token")
        #expect(result.stderrLines.last?.contains("openid") == true, "\(result)")
    }

    @Test func anotherServersTokenFailsIss() async throws {
        let (sandbox, server) = try await sandbox()
        let custom = try await token(sandbox, "custom")
        expectInvalid(try await sandbox.run("verify", "dev", "--token", custom), "iss", server.issuer("aus_custom1"))
    }

    @Test func theAudienceDefaultsToApiDefaultAndCanBeGiven() async throws {
        let (sandbox, _) = try await sandbox()
        expectInvalid(try await sandbox.run("verify", "custom"), "aud", "api://custom1")
        try await sandbox.run("verify", "custom", "--audience", "api://custom1").expectSuccess()
    }

    @Test func orgServerTokensAreSentToIntrospection() async throws {
        let (sandbox, _) = try await sandbox()
        expectInvalid(try await sandbox.run("verify", "org"), "verifiable", "use authflow introspect org")
        let stdout = try await sandbox.run("introspect", "org").expectSuccess()
        #expect(stdout.contains("\"active\": true"), "\(stdout)")
    }

    @Test func introspectAnswersActiveOrNot() async throws {
        let (sandbox, server) = try await sandbox()
        let active = try await sandbox.run("introspect", "dev").expectSuccess()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(active.utf8)) as? [String: Any])
        #expect(json["active"] as? Bool == true)
        #expect(json["client_id"] as? String == server.fixture.clientID)
        let inactive = try await sandbox.run("introspect", "dev", "--token", "not-a-token-anyone-issued")
        #expect(inactive.exitCode == 1 && inactive.stderr.isEmpty, "\(inactive)")
        #expect(inactive.stdout == "{\n  \"active\": false\n}\n")
    }

    @Test func introspectWithAWrongClientSecretIsRefused() async throws {
        let (sandbox, _) = try await sandbox()
        let token = try await token(sandbox, "dev")
        let result = try await sandbox.run("introspect", "dev", "--token", token, env: ["E2E_CLIENT_SECRET": "wrong"])
        result.expectFailure(77, "refused")
    }

    @Test func introspectVerboseShowsNeitherTheTokenNorTheSecret() async throws {
        let (sandbox, server) = try await sandbox()
        let token = try await token(sandbox, "dev")
        let result = try await sandbox.run("introspect", "dev", "--token", token, "--verbose")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("POST"), "--verbose traced nothing; \(result)")
        #expect(!result.stderr.contains(token) && !result.stderr.contains(String(token.prefix(40))))
        #expect(!result.stderr.contains(server.fixture.clientSecret) && !result.stderr.contains(LoopbackHTTP.formEncode(server.fixture.clientSecret)))
    }

    @Test func unreachableKeysAreAnInfrastructureFailure() async throws {
        let (sandbox, _) = try await sandbox()
        let token = try await token(sandbox, "dev")
        try await sandbox.run("verify", "down", "--token", token).expectFailure(69, "http://127.0.0.1:1/oauth2/default/v1/keys")
    }

    @Test func inspectShowsClaimsTimesAndScopes() async throws {
        let (sandbox, _) = try await sandbox()
        let text = try await sandbox.run("inspect", "dev").expectSuccess()
        #expect(text.hasPrefix("JWT  decoded only"))
        #expect(text.contains("(expires in 59 min)") || text.contains("(expires in 1 h)"), "\(text)")
        #expect(text.contains("Scopes  openid profile api:read"))
        #expect(!text.contains("\u{1B}"), "no colour when stdout is not a terminal")
        let json = try await sandbox.run("inspect", "dev", "--json", "--id-token").expectSuccess()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["claims"] as? [String: Any])?["amr"] != nil, "the ID token was decoded")
    }

    @Test func tokensComeFromStdinWithADash() async throws {
        let (sandbox, _) = try await sandbox()
        let binary = try AuthFlowBinary.url().path
        let variables = ["AUTHFLOW": binary, "AUTHFLOW_CACHE_DIR": sandbox.environment["AUTHFLOW_CACHE_DIR"] ?? "", "E2E_CLIENT_SECRET": sandbox.environment["E2E_CLIENT_SECRET"] ?? "",
                         "E2E_PASSWORD": sandbox.environment["E2E_PASSWORD"] ?? ""]
        let verified = try await sandbox.sh(#""$AUTHFLOW" header dev | "$AUTHFLOW" verify dev -"#, variables: variables)
        #expect(verified.status == 0, "\(String(decoding: verified.stderr, as: UTF8.self))")
        #expect(String(decoding: verified.stdout, as: UTF8.self).hasPrefix("valid: sub=testuser1@example.com"))
        let inspected = try await sandbox.sh(#""$AUTHFLOW" token dev | "$AUTHFLOW" inspect -"#, variables: variables)
        #expect(String(decoding: inspected.stdout, as: UTF8.self).contains("cid        0oab8olIgVNOkztHm0h7"))
    }

    private func base64(_ base64URL: String) -> String {
        let text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }
}
