import AuthFlowCore
import Foundation
import Testing

/// The server's checks of client assertions (RFC 7523 §3): signature, `iss`/`sub`, `aud`, `exp`, `jti` replay, `alg`.
@Suite("Client assertions at the server")
struct ClientAssertionTests {
    static let secret = "an-hs256-secret-that-is-long-enough-0123456789"
    static let yaml = testConfiguration.replacingOccurrences(of: "authorization_servers:", with: """
      jwt-client:
        secret: literal:\(secret)
        grant_types: [client_credentials]
        auth_methods: [client_secret_jwt]
    authorization_servers:
    """)

    func form(_ assertion: String) -> [(String, String)] {
        [("grant_type", "client_credentials"), ("scope", "api:read"),
         ("client_assertion_type", ClientAssertion.type), ("client_assertion", assertion)]
    }

    func claims(_ server: TestServer, _ change: (inout ClientAssertion.Claims) -> Void = { _ in }) -> ClientAssertion.Claims {
        var claims = ClientAssertion.Claims(clientID: "jwt-client", audience: server.base + server.tokenPath(), now: Date())
        change(&claims)
        return claims
    }

    @Test func validAssertionWorksOnceThenIsAReplay() async throws {
        try await TestServer.with(Self.yaml) { server in
            let assertion = try await ClientAssertion.sign(claims(server), secret: Secret(Self.secret)).reveal()
            #expect(try await server.post(server.tokenPath(), form(assertion)).status == 200)
            let replay = try await server.post(server.tokenPath(), form(assertion))
            #expect(replay.status == 401)
            #expect(replay["error_description"]?.string?.contains("already been used") == true)
        }
    }

    @Test(arguments: ["audience", "expired", "far", "subject", "secret", "none"])
    func badAssertionIsInvalidClient(fault: String) async throws {
        try await TestServer.with(Self.yaml) { server in
            let now = Int(Date().timeIntervalSince1970)
            var key = Self.secret
            let claims = claims(server) { claims in
                switch fault {
                case "audience": claims.aud = server.base + "/oauth2/v1/token"
                case "expired": claims.exp = now - 600
                case "far": claims.exp = now + 7200
                case "subject": claims.sub = "someone-else"
                default: break
                }
            }
            if fault == "secret" { key = String(Self.secret.reversed()) }
            var assertion = try await ClientAssertion.sign(claims, secret: Secret(key)).reveal()
            if fault == "none" {
                let payload = b64url(try JSONEncoder().encode(claims))
                assertion = b64url(Data(#"{"alg":"none"}"#.utf8)) + "." + payload + "."
            }
            let reply = try await server.post(server.tokenPath(), form(assertion))
            #expect(reply.status == 401, "\(reply.json)")
            #expect(reply["error"]?.string == "invalid_client")
        }
    }
}

private func b64url(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}
