import AuthFlowCore
import Foundation
import Testing

@Suite("Client authentication")
struct ClientAuthenticationTests {
    let clientCredentials = [("grant_type", "client_credentials"), ("scope", "api:read")]

    @Test func basicCredentialsAreFormDecodedSoPlusIsASpace() async throws {
        try await TestServer.with { server in
            // RFC 6749 §2.3.1: "s3cr3t/+= &%x" form-urlencoded is "s3cr3t%2F%2B%3D+%26%25x", then Basic.
            let encoded = Data("tricky-client:s3cr3t%2F%2B%3D+%26%25x".utf8).base64EncodedString()
            let reply = try await server.send("POST", server.tokenPath(), body: FormEncoding.body(clientCredentials.map { (name: $0.0, value: $0.1) }),
                                              headers: ["Authorization": "Basic \(encoded)", "Content-Type": "application/x-www-form-urlencoded"])
            #expect(reply.status == 200)
            #expect(reply["access_token"]?.string != nil)
        }
    }

    @Test func basicCredentialsThatAreNotFormEncodedDoNotMatch() async throws {
        try await TestServer.with { server in
            let raw = Data("tricky-client:s3cr3t/+= &%x".utf8).base64EncodedString()
            let reply = try await server.send("POST", server.tokenPath(), body: "grant_type=client_credentials&scope=api%3Aread",
                                              headers: ["Authorization": "Basic \(raw)", "Content-Type": "application/x-www-form-urlencoded"])
            #expect(reply.status == 401)
            #expect(reply["error"]?.string == "invalid_client")
            #expect(reply.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        }
    }

    @Test func clientSecretPostWorks() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), clientCredentials + [("client_id", confidential.id), ("client_secret", confidential.secret)])
            #expect(reply.status == 200)
        }
    }

    @Test(arguments: [true, false])
    func wrongSecretIsInvalidClient(basic: Bool) async throws {
        try await TestServer.with { server in
            let reply = basic
                ? try await server.post(server.tokenPath(), clientCredentials, basic: (confidential.id, "not-the-secret"))
                : try await server.post(server.tokenPath(), clientCredentials + [("client_id", confidential.id), ("client_secret", "not-the-secret")])
            #expect(reply.status == 401)
            #expect(reply["error"]?.string == "invalid_client")
        }
    }

    @Test func unknownClientIsInvalidClient() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), clientCredentials, basic: ("nobody", "secret"))
            #expect(reply.status == 401)
            #expect(reply["error"]?.string == "invalid_client")
        }
    }

    @Test(arguments: [
        // The confidential client sends only its id (auth method none).
        [("client_id", "0oab8olIgVNOkztHm0h7")],
        // The tricky client may only use Basic.
        [("client_id", "tricky-client"), ("client_secret", "s3cr3t/+= &%x")],
        // A public client cannot authenticate with a secret it does not have.
        [("client_id", "authflow-cli"), ("client_secret", "guess")],
        // No client at all.
        [],
    ])
    func authMethodNotAllowedIsInvalidClient(credentials: [(String, String)]) async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), clientCredentials + credentials)
            #expect(reply.status == 401)
            #expect(reply["error"]?.string == "invalid_client")
        }
    }

    @Test func publicClientSendsOnlyItsID() async throws {
        try await TestServer.with { server in
            let reply = try await server.post(server.tokenPath(), [("grant_type", "password"), ("username", "testuser2@example.com"),
                                                                   ("password", "S3cond-Passw0rd"), ("scope", "openid offline_access"),
                                                                   ("client_id", "authflow-cli")])
            #expect(reply.status == 200)
            #expect(reply["refresh_token"]?.string != nil)
            let claims = try jwtClaims(reply["id_token"])
            #expect(claims["aud"]?.string == "authflow-cli")
            #expect(claims["sub"]?.string?.hasPrefix("00u") == true)
        }
    }
}
