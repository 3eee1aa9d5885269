import AuthFlowCore
import Foundation
import Testing

/// serve's passwordless Direct Authentication: `/primary-authenticate` and the otp and oob grants,
/// with the refusals Okta answers.
@Suite("Passwordless Direct Authentication")
struct PasswordlessTests {
    static let configuration = """
        version: 1
        users:
          push-user@example.com:
            password: literal:Passw0rd!
            mfa:
              totp: literal:JBSWY3DPEHPK3PXP
              push: {approve_after: 1}
          plain@example.com:
            password: literal:Passw0rd!
        clients:
          nopw-cli:
            grant_types: [okta_otp, okta_oob]
          other-cli:
            grant_types: [okta_oob]
          password-only:
            grant_types: [password]
        authorization_servers:
          default:
            scopes: [openid, profile]
            mfa: {interval: 1s}
        """
    static let oob = "urn:okta:params:oauth:grant-type:oob"

    func start(_ server: TestServer, user: String = "push-user@example.com", client: String = "nopw-cli", channel: String = "push",
               hint: String? = oob) async throws -> TestServer.Reply {
        try await server.post("/oauth2/default/v1/primary-authenticate",
                              [("client_id", client), ("login_hint", user), ("channel_hint", channel)] + (hint.map { [("challenge_hint", $0)] } ?? []))
    }

    func poll(_ server: TestServer, _ oobCode: String, client: String = "nopw-cli") async throws -> TestServer.Reply {
        try await server.post("/oauth2/default/v1/token", [("client_id", client), ("grant_type", Self.oob), ("oob_code", oobCode), ("scope", "openid")])
    }

    @Test func anApprovedPushYieldsTokensOnceForTheClientThatStartedIt() async throws {
        try await TestServer.with(Self.configuration) { server in
            let started = try await start(server)
            #expect(started.status == 200 && started["binding_method"]?.string == "none" && started["channel"]?.string == "push")
            #expect(started["interval"]?.number == 1 && started["expires_in"]?.number == 300 && started.header("Cache-Control") == "no-store")
            let code = try #require(started["oob_code"]?.string)
            #expect(try await poll(server, code, client: "other-cli")["error"]?.string == "invalid_grant", "another client cannot redeem it")
            let tokens = try await poll(server, code)
            #expect(tokens.status == 200 && tokens["scope"]?.string == "openid", "\(tokens.text)")
            let access = try #require(JWTParts(tokens["access_token"]?.string ?? "")).claims
            #expect(access["sub"]?.string == "push-user@example.com" && access["cid"]?.string == "nopw-cli")
            let again = try await poll(server, code)
            #expect(again.status == 400 && again["error"]?.string == "invalid_grant", "an oob_code yields tokens once: \(again.text)")
        }
    }

    @Test func primaryAuthenticateRefusesWhatOktaRefuses() async throws {
        try await TestServer.with(Self.configuration) { server in
            let noHint = try await start(server, hint: nil)
            #expect(noHint.status == 400 && noHint["error"]?.string == "invalid_request")
            let notAllowed = try await start(server, client: "password-only")
            #expect(notAllowed.status == 400 && notAllowed["error"]?.string == "unauthorized_client")
            let unknown = try await start(server, user: "nobody@example.com")
            let notEnrolled = try await start(server, user: "plain@example.com")
            #expect(unknown.status == 400 && unknown["error"]?.string == "unsupported_challenge_type")
            #expect(unknown.text == notEnrolled.text, "an unknown user is answered like one without the authenticator")
            #expect(try await start(server, channel: "sms")["error"]?.string == "unsupported_challenge_type")
        }
    }

    @Test func otpGrantChecksTheCodeOfTheUsersAuthenticator() async throws {
        try await TestServer.with(Self.configuration) { server in
            func otp(_ user: String, _ code: String, client: String = "nopw-cli") async throws -> TestServer.Reply {
                try await server.post("/oauth2/default/v1/token", [("client_id", client), ("grant_type", "urn:okta:params:oauth:grant-type:otp"),
                                                                   ("login_hint", user), ("otp", code), ("scope", "openid")])
            }
            #expect(try await otp("push-user@example.com", "abcdef")["error"]?.string == "invalid_grant")
            #expect(try await otp("plain@example.com", "123456")["error"]?.string == "invalid_grant")
            #expect(try await otp("push-user@example.com", "123456", client: "other-cli")["error"]?.string == "unauthorized_client")
            let missing = try await server.post("/oauth2/default/v1/token", [("client_id", "nopw-cli"), ("grant_type", "urn:okta:params:oauth:grant-type:otp"), ("otp", "1")])
            #expect(missing["error"]?.string == "invalid_request")
        }
    }
}
