import AuthFlowCore
import Foundation
import Testing

/// Okta Direct Authentication on the password grant, over the fake transport: `mfa_required`,
/// then the OTP or out-of-band factor, with every request's fields and secrets checked.
@Suite struct MFAGrantTests {
    static let mfaRequired = #"{"error":"mfa_required","error_description":"Multifactor authentication required.","mfa_token":"MFA-TOKEN-123"}"#
    static let tokens = #"{"access_token":"at","token_type":"Bearer","expires_in":3600}"#

    func profile(_ mfa: String?) throws -> Profile {
        let text = """
            version: 1
            profiles:
              p:
                domain: http://127.0.0.1:1
                auth_server: default
                client: {id: cli}
                grant:
                  type: password
                  username: u@example.com
                  password: literal:pw
            \(mfa.map { "      mfa: \($0)" } ?? "")
                scopes: [openid]
            """
        return try ProfileText.profile(text)
    }

    func problems(_ mfa: String) -> [String] {
        do {
            _ = try profile(mfa)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    /// A server answering by path: the password grant with `mfa_required`, discovery as `discovery`
    /// (nil: 404), `/challenge` with `challenge`, and MFA token requests from `polls` in order.
    func server(discovery: String? = nil, challenge: String = "{}", polls: [(Int, String)]) -> FakeTransport {
        var remaining = polls
        return FakeTransport { request in
            let path = request.url.path
            func answer(_ status: Int, _ body: String) -> TransportResponse { TransportResponse(status: status, headers: [], body: Data(body.utf8)) }
            if path.contains(".well-known") { return discovery.map { answer(200, $0) } ?? answer(404, "{}") }
            if path.hasSuffix("/challenge") { return answer(200, challenge) }
            let form = FormEncoding.decode(String(decoding: request.body ?? Data(), as: UTF8.self))
            if form.contains(where: { $0 == ("grant_type", "password") }) { return answer(403, Self.mfaRequired) }
            guard !remaining.isEmpty else { throw AuthFlowError(.unavailable, "script exhausted") }
            let (status, body) = remaining.removeFirst()
            return answer(status, body)
        }
    }

    final class Recorder: @unchecked Sendable {
        let lock = NSLock()
        var shown: [String] = []
        var sleeps: [Duration] = []
        func show(_ text: String) { lock.withLock { shown.append(text) } }
        func sleep(_ duration: Duration) { lock.withLock { sleeps.append(duration) } }
    }

    func client(_ transport: FakeTransport, recorder: Recorder = Recorder(), prompter: any SecretPrompter = NoTerminal()) -> TokenClient {
        var client = TokenClient(transport: transport, resolver: SecretResolver(environment: [:], baseDirectory: "/tmp", prompter: prompter))
        client.interaction = Interaction(show: { recorder.show($0) })
        client.sleep = { recorder.sleep($0) }
        return client
    }

    /// Okta's layout on a loopback base: `server` answers discovery under it with 404 unless told otherwise.
    func endpoints(_ authServer: String) -> Endpoints {
        Endpoints.okta(base: URL(string: "http://127.0.0.1:1") ?? URL(fileURLWithPath: "/"), authServer: authServer)
    }

    func form(_ request: TransportRequest?) -> [String: String] {
        Dictionary(FormEncoding.decode(String(decoding: request?.body ?? Data(), as: UTF8.self)).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    struct NoTerminal: SecretPrompter {
        func ask(_ label: String) throws -> String { throw AuthFlowError(.secret, "no terminal") }
    }

    @Test func otpFactorSendsTheMFATokenAndPasscodeAsSecrets() async throws {
        let transport = server(polls: [(200, Self.tokens)])
        let profile = try profile("{factor: otp, otp: literal:123456}")
        let token = try await client(transport).requestToken(for: profile, endpoints: endpoints("default"))
        #expect(token.accessToken == "at")
        let last = try #require(transport.sent.last)
        let fields = form(last)
        #expect(fields["grant_type"] == MFAGrantTypes.otp, "no discovery document: Auth0's spelling")
        #expect(fields["mfa_token"] == "MFA-TOKEN-123" && fields["otp"] == "123456")
        #expect(fields["password"] == nil && fields["scope"] == nil, "the password is sent once; the mfa_token carries the scopes")
        #expect(Set(last.secrets.map { $0.reveal() }).isSuperset(of: ["MFA-TOKEN-123", "123456"]))
    }

    @Test func discoveryListingOktaSpellingIsFollowed() async throws {
        let document = #"{"issuer":"http://127.0.0.1:1/oauth2/default","token_endpoint":"http://127.0.0.1:1/oauth2/default/v1/token","grant_types_supported":["password","urn:okta:params:oauth:grant-type:mfa-otp","urn:okta:params:oauth:grant-type:mfa-oob"]}"#
        let transport = server(discovery: document, polls: [(200, Self.tokens)])
        let profile = try profile("{factor: otp, otp: literal:123456}")
        _ = try await client(transport).requestToken(for: profile, endpoints: endpoints("default"))
        #expect(form(transport.sent.last)["grant_type"] == MFAGrantTypes.oktaOTP)
    }

    @Test func pushWithNumberChallengePollsAtTheIntervalAndSlowsDown() async throws {
        let challenge = #"{"challenge_type":"http://auth0.com/oauth/grant-type/mfa-oob","oob_code":"OOB-1","channel":"push","binding_method":"transfer","binding_code":"42","expires_in":120,"interval":2}"#
        let pending = #"{"error":"authorization_pending"}"#, slow = #"{"error":"slow_down"}"#
        let transport = server(challenge: challenge, polls: [(400, pending), (400, slow), (200, Self.tokens)])
        let recorder = Recorder()
        let profile = try profile("{factor: push}")
        let token = try await client(transport, recorder: recorder).requestToken(for: profile, endpoints: endpoints("default"))
        #expect(token.accessToken == "at")
        #expect(recorder.sleeps == [.seconds(2), .seconds(2), .seconds(7)])
        let shown = recorder.lock.withLock { recorder.shown.joined() }
        #expect(shown.contains("tap 42 in Okta Verify") && shown.contains("Approved. Signed in."), "\(shown)")
        let challengeRequest = try #require(transport.sent.first { $0.url.path.hasSuffix("/challenge") })
        #expect(form(challengeRequest)["channel_hint"] == "push")
        #expect(form(challengeRequest)["challenge_types_supported"] == MFAGrantTypes.oob)
        let poll = try #require(transport.sent.last)
        #expect(form(poll)["oob_code"] == "OOB-1" && form(poll)["grant_type"] == MFAGrantTypes.oob)
        #expect(poll.secrets.contains { $0.reveal() == "OOB-1" } && poll.secrets.contains { $0.reveal() == "42" })
    }

    @Test func smsCodeIsSentAsBindingCodeAtOnce() async throws {
        let challenge = #"{"oob_code":"OOB-2","channel":"sms","binding_method":"prompt","expires_in":300,"interval":5}"#
        let transport = server(challenge: challenge, polls: [(200, Self.tokens)])
        let recorder = Recorder()
        _ = try await client(transport, recorder: recorder).requestToken(for: try profile("{factor: sms, code: literal:654321}"),
                                                                        endpoints: endpoints("org"))
        #expect(recorder.sleeps.isEmpty, "a typed code is checked without waiting")
        let poll = try #require(transport.sent.last)
        #expect(form(poll)["binding_code"] == "654321")
        #expect(poll.secrets.contains { $0.reveal() == "654321" })
    }

    @Test func deniedPushAndWrongCodeAreRefusals() async throws {
        let challenge = #"{"oob_code":"OOB-3","channel":"push","binding_method":"none","expires_in":300,"interval":1}"#
        let denied = server(challenge: challenge, polls: [(400, #"{"error":"access_denied","error_description":"The user rejected the push."}"#)])
        let refusal = await #expect(throws: AuthFlowError.self) {
            try await client(denied).requestToken(for: try profile("{factor: push}"), endpoints: endpoints("org"))
        }
        #expect(refusal?.kind == .refused && refusal?.message.contains("access_denied") == true)
        let wrong = server(polls: [(400, #"{"error":"invalid_grant","error_description":"Your passcode doesn't match our records."}"#)])
        let error = await #expect(throws: AuthFlowError.self) {
            try await client(wrong).requestToken(for: try profile("{factor: otp, otp: literal:000000}"), endpoints: endpoints("org"))
        }
        #expect(error?.kind == .refused && error?.message.contains("second factor") == true && error?.hint?.contains("30 s") == true)
        #expect(!(error?.message.contains("MFA-TOKEN-123") ?? true))
    }

    @Test func withoutGrantMFAAndNoTerminalItStopsAfterOneRequest() async throws {
        let transport = server(polls: [])
        let error = await #expect(throws: AuthFlowError.self) {
            try await client(transport).requestToken(for: try profile(nil), endpoints: endpoints("org"))
        }
        #expect(error?.kind == .refused)
        #expect(error?.message.contains("second factor") == true && error?.hint?.contains("mfa:") == true, "\(String(describing: error))")
        #expect(transport.sent.count == 1)
        #expect(!"\(String(describing: error))".contains("MFA-TOKEN-123"))
    }

    /// A terminal where the user picks a factor and types a code.
    struct Terminal: SecretPrompter {
        let factor: String
        func ask(_ label: String) throws -> String { label.hasPrefix("grant.mfa.otp") ? "246810" : "unexpected: \(label)" }
        func choose(_ question: String) throws -> String { question.contains("second factor") ? factor : "unexpected" }
    }

    @Test func withoutGrantMFAOnATerminalTheUserPicksTheFactor() async throws {
        let transport = server(polls: [(200, Self.tokens)])
        let token = try await client(transport, prompter: Terminal(factor: " OTP ")).requestToken(for: try profile(nil), endpoints: endpoints("org"))
        #expect(token.accessToken == "at")
        #expect(form(transport.sent.last)["otp"] == "246810", "the picked factor's code is asked with prompt")
        let unknown = await #expect(throws: AuthFlowError.self) {
            try await client(server(polls: []), prompter: Terminal(factor: "fingerprint")).requestToken(for: try profile(nil), endpoints: endpoints("org"))
        }
        #expect(unknown?.kind == .usage && unknown?.hint?.contains("otp, push, sms, voice, email") == true)
    }

    @Test func validationNamesTheKey() {
        #expect(problems("{otp: prompt}").contains { $0.contains("grant.mfa.factor is missing") })
        #expect(problems("{factor: push, otp: prompt}").contains { $0.contains("grant.mfa.otp does not apply to factor push") })
        #expect(problems("{factor: otp, code: prompt}").contains { $0.contains("grant.mfa.code does not apply to factor otp") })
        #expect(problems("{factor: otp, otp: '123456'}").contains { $0.contains("grant.mfa.otp") }, "a bare passcode is not a reference")
        #expect(!problems("{factor: fingerprint}").isEmpty)
        #expect(!problems("{factr: otp}").isEmpty)
        #expect(problems("{factor: sms, code: {command: [cat, code.txt]}}").isEmpty)
    }

    @Test func eachFactorHasItsOwnCacheEntry() throws {
        let plain = try profile(nil), push = try profile("{factor: push}"), otp = try profile("{factor: otp}")
        #expect(CacheKey(plain) != CacheKey(push) && CacheKey(push) != CacheKey(otp) && CacheKey(plain) != CacheKey(otp))
    }
}
