import AuthFlowCore
import Foundation
import Testing

/// A server accepts a signed assertion's `jti` once (RFC 7523 §3; Okta refuses a replayed one),
/// so a request retried after a 5xx or a lost connection carries a newly signed assertion.
@Suite struct AssertionRenewalTests {
    static let key = String(repeating: "k", count: 32)
    static let token = #"{"access_token":"AT","token_type":"Bearer","expires_in":3600}"#

    func profile(client: String, grant: String = "client_credentials") throws -> Profile {
        let environment = ["KEY": Self.key, "EC_KEY": ClientAssertionTests.ecKey]
        return try ProfileText.profile("""
            version: 1
            profiles:
              p:
                domain: http://127.0.0.1:1
                auth_server: default
                client: \(client)
                grant: \(grant)
            """, environment: environment)
    }

    func tokenClient(_ transport: FakeTransport) -> TokenClient {
        TokenClient(transport: RetryingTransport(base: transport, retries: 2, sleep: { _ in }),
                    resolver: SecretResolver(environment: ["KEY": Self.key, "EC_KEY": ClientAssertionTests.ecKey], baseDirectory: "/tmp"))
    }

    /// The value of form field `name` in each request sent.
    func field(_ name: String, of transport: FakeTransport) -> [String] {
        transport.sent.map { request in
            FormEncoding.decode(String(decoding: request.body ?? Data(), as: UTF8.self)).first { $0.name == name }?.value ?? ""
        }
    }

    func jti(_ assertion: String) -> String? { JWTParts(assertion)?.claims["jti"]?.string }

    @Test(arguments: ["{id: cli, auth: client_secret_jwt, secret: env:KEY}", "{id: cli, auth: private_key_jwt, private_key: env:EC_KEY}"])
    func eachAttemptSignsANewClientAssertion(client: String) async throws {
        let transport = FakeTransport(script: [json(503, "{}"), json(500, "{}"), json(200, Self.token)])
        let profile = try profile(client: client)
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        let tokens = try await tokenClient(transport).requestToken(for: profile, endpoints: endpoints)
        #expect(tokens.accessToken == "AT")
        let assertions = field("client_assertion", of: transport)
        #expect(assertions.count == 3)
        let ids = assertions.compactMap(jti)
        #expect(ids.count == 3 && Set(ids).count == 3, "every attempt has its own jti: \(ids)")
        #expect(field("grant_type", of: transport) == Array(repeating: "client_credentials", count: 3))
    }

    @Test func aClientSecretIsSentAgainAsItWas() async throws {
        let transport = FakeTransport(script: [json(503, "{}"), json(200, Self.token)])
        let profile = try profile(client: "{id: cli, auth: client_secret_post, secret: env:KEY}")
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        _ = try await tokenClient(transport).requestToken(for: profile, endpoints: endpoints)
        #expect(transport.sent.count == 2)
        #expect(transport.sent.first?.body == transport.sent.last?.body)
    }

    @Test func theJWTBearerGrantSignsANewAssertionForEachAttempt() async throws {
        let transport = FakeTransport(script: [json(502, "{}"), json(200, Self.token)])
        let profile = try profile(client: "{id: cli, private_key: env:EC_KEY}", grant: "jwt_bearer")
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        _ = try await tokenClient(transport).requestToken(for: profile, endpoints: endpoints)
        let ids = field("assertion", of: transport).compactMap(jti)
        #expect(ids.count == 2 && ids[0] != ids[1], "\(ids)")
    }

    /// A terminal that hands out `key` and counts how often it was asked.
    final class CountingTerminal: SecretPrompter, @unchecked Sendable {
        let key: String
        private let lock = NSLock()
        private var count = 0
        init(key: String) { self.key = key }
        func ask(_ label: String) throws -> String { lock.withLock { count += 1 }; return key }
        var asked: Int { lock.withLock { count } }
    }

    @Test(arguments: [("{id: cli, auth: client_secret_jwt, secret: prompt}", "client_credentials", AssertionRenewalTests.key),
                      ("{id: cli, private_key: prompt}", "jwt_bearer", ClientAssertionTests.ecKey)])
    func theKeyIsResolvedOnceAndSignedForEachAttempt(client: String, grant: String, key: String) async throws {
        let transport = FakeTransport(script: [json(503, "{}"), json(500, "{}"), json(200, Self.token)])
        let terminal = CountingTerminal(key: key)
        let profile = try profile(client: client, grant: grant)
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        _ = try await TokenClient(transport: RetryingTransport(base: transport, retries: 2, sleep: { _ in }),
                                  resolver: SecretResolver(environment: [:], baseDirectory: "/tmp", prompter: terminal))
            .requestToken(for: profile, endpoints: endpoints)
        let ids = field(grant == "jwt_bearer" ? "assertion" : "client_assertion", of: transport).compactMap(jti)
        #expect(ids.count == 3 && Set(ids).count == 3, "\(ids)")
        #expect(terminal.asked == (grant == "jwt_bearer" ? 2 : 1), "asked once per reference, not once per attempt")
    }

    @Test func aServerEchoingTheRenewedAssertionDoesNotShowIt() async throws {
        var calls = 0
        let transport = FakeTransport { request in
            calls += 1
            guard calls > 1 else { return TransportResponse(status: 503) }
            let form = FormEncoding.decode(String(decoding: request.body ?? Data(), as: UTF8.self))
            let assertion = form.first { $0.name == "client_assertion" }?.value ?? ""
            return TransportResponse(status: 400, body: Data(#"{"error":"invalid_client","error_description":"bad assertion \#(assertion)"}"#.utf8))
        }
        let profile = try profile(client: "{id: cli, auth: client_secret_jwt, secret: env:KEY}")
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        let error = try await #require(throws: AuthFlowError.self) { try await tokenClient(transport).requestToken(for: profile, endpoints: endpoints) }
        let renewed = try #require(field("client_assertion", of: transport).last)
        #expect(error.kind == .refused)
        #expect(error.message.contains("bad assertion"))
        #expect(!error.message.contains(renewed) && !error.message.contains(String(renewed.prefix(40))), "\(error.message)")
    }
}
