import AuthFlowCore
import Foundation
import Testing

/// Okta Direct Authentication without a password (`okta_otp`, `okta_oob`), over the fake
/// transport: each request's endpoint, fields and secrets, the polling, and validation.
@Suite struct OktaPasswordlessGrantTests {
    static let tokens = #"{"access_token":"at","token_type":"Bearer","expires_in":3600}"#

    func profile(_ grant: String) throws -> Profile {
        let text = """
            version: 1
            profiles:
              p:
                domain: http://127.0.0.1:1
                auth_server: default
                client: {id: cli}
                grant: \(grant)
                scopes: [openid, profile]
            """
        return try ProfileText.profile(text)
    }

    func problems(_ grant: String) -> [String] {
        do {
            _ = try profile(grant)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map { $0.message + " " + ($0.hint ?? "") }
        } catch {
            return ["\(error)"]
        }
    }

    /// `/primary-authenticate` answers `start`; token requests get `polls` in order.
    func server(start: String = "{}", status: Int = 200, polls: [(Int, String)]) -> FakeTransport {
        var remaining = polls
        return FakeTransport { request in
            func answer(_ status: Int, _ body: String) -> TransportResponse { TransportResponse(status: status, headers: [], body: Data(body.utf8)) }
            if request.url.path.hasSuffix("/primary-authenticate") { return answer(status, start) }
            guard request.url.path.hasSuffix("/token"), !remaining.isEmpty else { throw AuthFlowError(.unavailable, "unexpected \(request.url.path)") }
            let (status, body) = remaining.removeFirst()
            return answer(status, body)
        }
    }

    func client(_ transport: FakeTransport, recorder: MFAGrantTests.Recorder = .init()) -> TokenClient {
        var client = TokenClient(transport: transport, resolver: SecretResolver(environment: [:], baseDirectory: "/tmp", prompter: MFAGrantTests.NoTerminal()))
        client.interaction = Interaction(show: { recorder.show($0) })
        client.sleep = { recorder.sleep($0) }
        return client
    }

    let endpoints = Endpoints.okta(base: URL(string: "http://127.0.0.1:1") ?? URL(fileURLWithPath: "/"), authServer: "default")

    func form(_ request: TransportRequest?) -> [String: String] {
        Dictionary(FormEncoding.decode(String(decoding: request?.body ?? Data(), as: UTF8.self)).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func otpGrantNamesTheUserAndSendsThePasscodeAsASecret() async throws {
        let transport = server(polls: [(200, Self.tokens)])
        let token = try await client(transport).requestToken(for: try profile("{type: okta_otp, username: u@example.com, otp: literal:135790}"), endpoints: endpoints)
        #expect(token.accessToken == "at")
        let request = try #require(transport.sent.last)
        #expect(transport.sent.count == 1 && request.url.path == "/oauth2/default/v1/token")
        let fields = form(request)
        #expect(fields["grant_type"] == "urn:okta:params:oauth:grant-type:otp")
        #expect(fields["login_hint"] == "u@example.com" && fields["otp"] == "135790")
        #expect(fields["scope"] == "openid profile", "the grant's one token request carries the scopes")
        #expect(fields["username"] == nil && fields["password"] == nil)
        #expect(request.secrets.contains { $0.reveal() == "135790" })
    }

    @Test func aWrongPasscodeIsARefusalNamingIt() async throws {
        let transport = server(polls: [(400, #"{"error":"invalid_grant","error_description":"Your passcode doesn't match our records."}"#)])
        let error = await #expect(throws: AuthFlowError.self) {
            try await client(transport).requestToken(for: try profile("{type: okta_otp, username: u, otp: literal:000000}"), endpoints: endpoints)
        }
        #expect(error?.kind == .refused && error?.message.contains("refused the one-time passcode") == true, "\(String(describing: error))")
        #expect(error?.hint?.contains("30 s") == true)
    }

    @Test func aPolicyWantingAnotherFactorSaysWhatToUseInstead() async throws {
        let transport = server(polls: [(403, #"{"error":"mfa_required","error_description":"MFA required.","mfa_token":"MFA-SECRET-9"}"#)])
        let error = await #expect(throws: AuthFlowError.self) {
            try await client(transport).requestToken(for: try profile("{type: okta_otp, username: u, otp: literal:135790}"), endpoints: endpoints)
        }
        #expect(error?.kind == .refused && error?.hint?.contains("grant type password with grant.mfa") == true, "\(String(describing: error))")
        #expect(!"\(String(describing: error))".contains("MFA-SECRET-9"))
    }

    @Test func oobPushStartsAtPrimaryAuthenticateThenPollsLikeAnMFAPush() async throws {
        let start = #"{"oob_code":"OOB-P","channel":"push","binding_method":"transfer","binding_code":"37","expires_in":120,"interval":3}"#
        let transport = server(start: start, polls: [(400, #"{"error":"authorization_pending"}"#), (400, #"{"error":"direct_auth_authorization_pending"}"#),
                                                     (400, #"{"error":"slow_down"}"#), (200, Self.tokens)])
        let recorder = MFAGrantTests.Recorder()
        let token = try await client(transport, recorder: recorder).requestToken(for: try profile("{type: okta_oob, username: u@example.com}"), endpoints: endpoints)
        #expect(token.accessToken == "at")
        #expect(recorder.sleeps == [.seconds(3), .seconds(3), .seconds(3), .seconds(8)], "slow_down adds 5 s")
        let shown = recorder.lock.withLock { recorder.shown.joined() }
        #expect(shown.contains("tap 37 in Okta Verify") && shown.contains("Approved."), "\(shown)")
        let first = try #require(transport.sent.first)
        #expect(first.url.path == "/oauth2/default/v1/primary-authenticate")
        #expect(form(first) == ["login_hint": "u@example.com", "channel_hint": "push", "challenge_hint": "urn:okta:params:oauth:grant-type:oob", "client_id": "cli"],
                "only what Okta documents: no scope before the token request")
        let poll = try #require(transport.sent.last)
        #expect(form(poll)["grant_type"] == "urn:okta:params:oauth:grant-type:oob" && form(poll)["oob_code"] == "OOB-P")
        #expect(form(poll)["scope"] == "openid profile" && form(poll)["login_hint"] == nil && form(poll)["binding_code"] == nil)
        #expect(poll.secrets.contains { $0.reveal() == "OOB-P" } && poll.secrets.contains { $0.reveal() == "37" })
    }

    @Test func oobSmsSendsTheTypedCodeAtOnce() async throws {
        let start = #"{"oob_code":"OOB-S","channel":"sms","binding_method":"prompt","expires_in":300,"interval":5}"#
        let transport = server(start: start, polls: [(200, Self.tokens)])
        let recorder = MFAGrantTests.Recorder()
        _ = try await client(transport, recorder: recorder).requestToken(for: try profile("{type: okta_oob, username: u, channel: sms, code: literal:864202}"), endpoints: endpoints)
        #expect(recorder.sleeps.isEmpty, "a typed code is checked without waiting")
        #expect(form(transport.sent.first)["channel_hint"] == "sms")
        let poll = try #require(transport.sent.last)
        #expect(form(poll)["binding_code"] == "864202" && poll.secrets.contains { $0.reveal() == "864202" })
    }

    @Test func anExpiredOrRefusedSignInIsARefusal() async throws {
        let start = #"{"oob_code":"OOB-X","channel":"push","binding_method":"none","expires_in":60,"interval":1}"#
        let expired = await #expect(throws: AuthFlowError.self) {
            try await client(server(start: start, polls: [(400, #"{"error":"expired_token"}"#)])).requestToken(for: try profile("{type: okta_oob, username: u}"), endpoints: endpoints)
        }
        #expect(expired?.kind == .refused && expired?.message.contains("sign-in challenge expired") == true, "\(String(describing: expired))")
        let unknown = await #expect(throws: AuthFlowError.self) {
            try await client(server(start: #"{"error":"unsupported_challenge_type","error_description":"no authenticator"}"#, status: 400, polls: [])).requestToken(for: try profile("{type: okta_oob, username: u}"), endpoints: endpoints)
        }
        #expect(unknown?.kind == .refused && unknown?.message.contains("unsupported_challenge_type") == true, "\(String(describing: unknown))")
    }

    @Test func validationNamesTheKey() {
        #expect(problems("{type: okta_otp}").contains { $0.contains("grant.username is missing") })
        #expect(problems("{type: okta_otp, username: u, otp: '123456'}").contains { $0.contains("grant.otp") }, "a bare passcode is not a reference")
        #expect(problems("{type: okta_oob, username: u, channel: otp}").contains { $0.contains("channel") })
        #expect(problems("{type: okta_oob, username: u, code: prompt}").contains { $0.contains("grant.code does not apply to channel push") })
        #expect(problems("{type: okta_oob, username: u, otp: prompt}").contains { $0.contains("grant.otp does not apply to the okta_oob grant") })
        #expect(problems("{type: okta_otp, username: u, chanel: push}").contains { $0.contains("did you mean 'channel'") })
        #expect(problems("{type: okta_push, username: u}").contains { $0.contains("okta_") })
        #expect(problems("{type: okta_oob, username: env:OKTA_USER, channel: email, code: {command: [cat, code.txt]}}").isEmpty)
        #expect(problems("{type: okta_otp, username: u, otp: {command: [oathtool, --totp, -b, JBSWY3DPEHPK3PXP]}}").isEmpty)
    }

    @Test func defaultsArePromptAndPush() throws {
        #expect(try profile("{type: okta_otp, username: u}").grant == .oktaOTP(username: .plain("u"), otp: .prompt))
        #expect(try profile("{type: okta_oob, username: u}").grant == .oktaOOB(username: .plain("u"), channel: .push, code: .prompt))
        #expect(try profile("{type: okta_oob, username: u, channel: sms}").secretReferences == [.prompt], "the code is read for sms")
        #expect(try profile("{type: okta_oob, username: u}").secretReferences.isEmpty, "a push reads no secret")
    }

    @Test func eachGrantAndChannelHasItsOwnCacheEntry() throws {
        let keys = try ["{type: okta_otp, username: u}", "{type: okta_oob, username: u}", "{type: okta_oob, username: u, channel: sms}",
                        "{type: okta_oob, username: v}", "{type: password, username: u, password: prompt}"].map { CacheKey(try profile($0)) }
        #expect(Set(keys).count == keys.count)
    }
}
