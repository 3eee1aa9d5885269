import Foundation
import Testing

/// Test keys in `Servers/keys/` (see its README): the private halves are copied into the sandbox
/// with mode 0600; `serve-e2e.yaml` registers the public halves for `pkjwt-service`.
enum TestKeys {
    static let folder = PackageLayout.servers.appendingPathComponent("keys", isDirectory: true)
    static let hs256Secret = "a-long-shared-secret-for-hs256-assertions"

    /// Copies `name` into the sandbox's working folder (mode 0600) and returns its `file:` reference.
    static func install(_ name: String, in sandbox: Sandbox) throws -> String {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let url = try sandbox.write(text, to: name)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return "file:\(name)"
    }

    /// Runs `Servers/verify_assertion.py` (PyJWT) on `assertion`; returns its JSON (header, claims).
    static func verifyWithPyJWT(_ assertion: String, key: String, audience: String, clientID: String, sandbox: Sandbox) async throws -> [String: Any] {
        let script = PackageLayout.servers.appendingPathComponent("verify_assertion.py").path
        try sandbox.write(assertion, to: "assertion.jwt")
        let output = try await sandbox.sh("python3 \"$S\" \"$K\" \"$A\" \"$C\" < assertion.jwt",
                                          variables: ["S": script, "K": key, "A": audience, "C": clientID])
        let text = String(decoding: output.stdout, as: UTF8.self)
        #expect(output.status == 0, "PyJWT refused the assertion: \(text) \(String(decoding: output.stderr, as: UTF8.self))")
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }
}

extension AuthorizationServerProcess {
    /// A client_credentials profile for `pkjwt-service` signing with the installed key `reference`.
    func privateKeyProfile(_ id: String = "default", key reference: String, keyID: String? = nil) -> String {
        okta(id) + "client:\n  id: pkjwt-service\n  private_key: \(reference)\n" + (keyID.map { "  key_id: \($0)\n" } ?? "")
            + "grant: client_credentials\nscopes: [api:read]\n"
    }

    /// A client_credentials profile for `hs256-service` with client_secret_jwt.
    func clientSecretJWTProfile(_ id: String = "default", secret: String = "literal:\(TestKeys.hs256Secret)") -> String {
        okta(id) + "client:\n  id: hs256-service\n  secret: \(secret)\n  auth: client_secret_jwt\ngrant: client_credentials\nscopes: [api:read]\n"
    }
}

@Suite("Client assertions: private_key_jwt and client_secret_jwt", .serialized, .authorizationServers)
struct GrantClientAssertionFlowTests {
    @Test("private_key_jwt with an RS256 PEM, an ES256 PEM and an RS256 JWK is accepted by authflow serve",
          arguments: [("rsa.pem", "rsa-pem-1"), ("ec.pem", nil), ("rsa.jwk.json", nil)] as [(String, String?)])
    func privateKeyJWTAgainstServe(key: String, keyID: String?) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.privateKeyProfile(key: TestKeys.install(key, in: sandbox), keyID: keyID)]))
        let stdout = try await sandbox.run("token", "svc").expectSuccess()
        let claims = try jwtClaims(stdout.trimmingCharacters(in: .newlines))
        #expect(claims["cid"] as? String == "pkjwt-service")
        #expect(claims["sub"] as? String == "pkjwt-service")
    }

    @Test("client_secret_jwt (HS256) is accepted by authflow serve; a wrong secret is invalid_client (77), a short one 78")
    func clientSecretJWTAgainstServe() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.clientSecretJWTProfile(), "wrong": server.clientSecretJWTProfile(secret: "literal:not-the-secret-but-long-enough-for-hs256"),
                                               "short": server.clientSecretJWTProfile(secret: "literal:short")]))
        try await sandbox.run("token", "svc").expectSuccess()
        try await sandbox.run("token", "wrong", "--no-cache").expectFailure(77, "invalid_client", "signature")
        try await sandbox.run("token", "short", "--no-cache").expectFailure(78, "too short for client_secret_jwt")
    }

    @Test("the assertion verifies with PyJWT: iss = sub = client id, aud = token endpoint, short exp, unique jti, kid",
          arguments: [("rsa.pem", "rsa.pub.pem", "rsa-pem-1", "RS256"), ("ec.pem", "ec.pub.pem", nil, "ES256"),
                      ("rsa.jwk.json", "rsa.jwks.pub.json", "jwk-key-1", "RS256")] as [(String, String, String?, String)])
    func assertionVerifiesWithPyJWT(key: String, publicKey: String, keyID: String?, alg: String) async throws {
        // The authlib server records the request (it does not know the client, so authflow exits 77).
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.privateKeyProfile(key: TestKeys.install(key, in: sandbox), keyID: keyID)]))
        var jtis: Set<String> = []
        for _ in 0..<2 {
            try await admin.reset()
            _ = try await sandbox.run("token", "svc", "--no-cache")
            let form = try #require(try await admin.requests().last?.form)
            #expect(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            #expect(form["client_secret"] == nil)
            let assertion = try #require(form["client_assertion"])
            let result = try await TestKeys.verifyWithPyJWT(assertion, key: TestKeys.folder.appendingPathComponent(publicKey).path,
                                                           audience: server.base + server.tokenPath("default"), clientID: "pkjwt-service", sandbox: sandbox)
            let header = try #require(result["header"] as? [String: Any])
            let claims = try #require(result["claims"] as? [String: Any])
            #expect(header["alg"] as? String == alg)
            #expect(header["kid"] as? String == keyID)
            if let jti = claims["jti"] as? String { jtis.insert(jti) }
        }
        #expect(jtis.count == 2, "each assertion has its own jti")
    }

    @Test("the client_secret_jwt assertion verifies with PyJWT (HS256)")
    func hs256VerifiesWithPyJWT() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["svc": server.clientSecretJWTProfile()]))
        try await admin.reset()
        _ = try await sandbox.run("token", "svc", "--no-cache")
        let assertion = try #require(try await admin.requests().last?.form["client_assertion"])
        let result = try await TestKeys.verifyWithPyJWT(assertion, key: "hs256:\(TestKeys.hs256Secret)",
                                                       audience: server.base + server.tokenPath("default"), clientID: "hs256-service", sandbox: sandbox)
        #expect((result["header"] as? [String: Any])?["alg"] as? String == "HS256")
    }

    @Test("a private key that does not parse, or is missing, is exit 78 with empty stdout and no key material shown",
          arguments: ["not-a-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", #"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, nil] as [String?])
    func badKeyFile(content: String?) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        if let content {
            let url = try sandbox.write(content, to: "bad.pem")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
        try sandbox.write(ProfileYAML.file(["svc": server.privateKeyProfile(key: "file:bad.pem")]))
        let result = try await sandbox.run("token", "svc")
        result.expectFailure(78, "client.private_key")
        if let content { #expect(!result.stderr.contains(content), "the key must not be echoed") }
    }

    @Test("validation: private_key_jwt needs private_key, client_secret_jwt needs secret")
    func validation() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file([
            "a": server.okta() + "client:\n  id: x\n  auth: private_key_jwt\ngrant: client_credentials\n",
            "b": server.okta() + "client:\n  id: x\n  auth: client_secret_jwt\ngrant: client_credentials\n",
        ]))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stderr.contains("client.auth is private_key_jwt but client.private_key is not set"), "\(result)")
        #expect(result.stderr.contains("client.auth is client_secret_jwt but client.secret is not set"), "\(result)")
    }
}
