import Foundation
import Testing

/// Token exchange (RFC 8693) and JWT bearer (RFC 7523) against `authflow serve`.
@Suite("Token exchange and JWT bearer", .serialized, .authorizationServers)
struct GrantExchangeFlowTests {
    @Test("token_exchange trades the user's access token for one of the exchanging client; a bad subject token is 77")
    func tokenExchange() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let exchange = server.okta("default") + server.client(.basic) + "grant:\n  type: token_exchange\n  subject_token: env:SUBJECT\nscopes: [api:read]\n"
        try sandbox.write(ProfileYAML.file(["user": server.passwordProfile("default", scopes: "[openid, api:read]"), "exchange": exchange]))
        let subject = try await sandbox.run("token", "user").expectSuccess().trimmingCharacters(in: .newlines)
        let json = try await sandbox.run("token", "exchange", "--format", "json", env: ["SUBJECT": subject]).expectSuccess()
        let response = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(response["issued_token_type"] as? String == "urn:ietf:params:oauth:token-type:access_token")
        let claims = try jwtClaims(try #require(response["access_token"] as? String))
        #expect(claims["sub"] as? String == server.fixture.username)
        #expect(claims["scp"] as? [String] == ["api:read"])

        let bad = try await sandbox.run("token", "exchange", "--no-cache", env: ["SUBJECT": "not-a-token"])
        bad.expectFailure(77, "invalid_grant")
        #expect(!bad.stderr.contains("not-a-token"), "the subject token is a secret")
    }

    @Test("jwt_bearer with an assertion signed from client.private_key")
    func jwtBearerSigned() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let key = try TestKeys.install("ec.pem", in: sandbox)
        try sandbox.write(ProfileYAML.file(["svc": server.okta("default") + "client:\n  id: pkjwt-service\n  private_key: \(key)\ngrant: jwt_bearer\nscopes: [api:read]\n"]))
        let claims = try jwtClaims(try await sandbox.run("token", "svc").expectSuccess().trimmingCharacters(in: .newlines))
        #expect(claims["sub"] as? String == "pkjwt-service")
    }

    @Test("jwt_bearer with a ready assertion (signed by PyJWT) for a user; a replayed one is refused")
    func jwtBearerReadyAssertion() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let script = """
            import jwt, time, uuid, sys
            key = open(sys.argv[1]).read()
            now = int(time.time())
            print(jwt.encode({"iss": "pkjwt-service", "sub": sys.argv[2], "aud": sys.argv[3], "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())}, key, algorithm="RS256"))
            """
        try sandbox.write(script, to: "sign.py")
        let output = try await sandbox.sh(#"python3 sign.py "$K" "$S" "$A""#, variables: [
            "K": TestKeys.folder.appendingPathComponent("rsa.pem").path, "S": server.fixture.username, "A": server.base + server.tokenPath("default")])
        let assertion = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output.status == 0 && !assertion.isEmpty, "\(String(decoding: output.stderr, as: UTF8.self))")
        try sandbox.write(ProfileYAML.file(["svc": server.okta("default") + "client:\n  id: pkjwt-service\n  private_key: \(try TestKeys.install("rsa.pem", in: sandbox))\n"
            + "grant:\n  type: jwt_bearer\n  assertion: env:ASSERTION\nscopes: [api:read]\n"]))
        let claims = try jwtClaims(try await sandbox.run("token", "svc", env: ["ASSERTION": assertion]).expectSuccess().trimmingCharacters(in: .newlines))
        #expect(claims["sub"] as? String == server.fixture.username)
        try await sandbox.run("token", "svc", "--no-cache", env: ["ASSERTION": assertion]).expectFailure(77, "invalid_grant", "already been used")
    }

    @Test("validation: jwt_bearer needs an assertion or a private key; token_exchange needs subject_token")
    func validation() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file([
            "a": server.okta() + "client: {id: x}\ngrant: jwt_bearer\n",
            "b": server.okta() + "client: {id: x}\ngrant: {type: token_exchange}\n",
        ]))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stderr.contains("jwt_bearer grant needs grant.assertion, or client.private_key"), "\(result)")
        #expect(result.stderr.contains("grant.subject_token is missing"), "\(result)")
    }
}
