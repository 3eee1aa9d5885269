import AuthFlowCore
import Foundation
import Testing

@Suite("Client assertions (private_key_jwt, client_secret_jwt)")
struct ClientAssertionTests {
    static let ecKey = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgS6wL+wSQPpxT1OWa
    Nd17etzO6NJi4oF6m3APk70BM5yhRANCAATP+5zzrT297NW/3MnNVI3bflCRlevi
    7PxWeVccx8EpjnjulWZRuo7prAHNIOfrJSrgiWNC6DQIcN8eS5OnEuoO
    -----END PRIVATE KEY-----
    """

    @Test func claimsNameTheClientTheEndpointAndAShortLife() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let a = ClientAssertion.Claims(clientID: "svc", audience: "https://example.okta.com/oauth2/v1/token", now: now)
        let b = ClientAssertion.Claims(clientID: "svc", audience: "https://example.okta.com/oauth2/v1/token", now: now)
        #expect(a.iss == "svc" && a.sub == "svc")
        #expect(a.aud == "https://example.okta.com/oauth2/v1/token")
        #expect(a.iat == 1_700_000_000 && a.exp == 1_700_000_060)
        #expect(a.jti != b.jti && a.jti.count >= 32)
    }

    @Test func es256PEMSignsWithTheKeyIDInTheHeader() async throws {
        let claims = ClientAssertion.Claims(clientID: "svc", audience: "https://as/token", now: Date())
        let token = try await ClientAssertion.sign(claims, privateKey: Secret(Self.ecKey), keyID: "k-1").reveal()
        let parts = try #require(JWTParts(token))
        #expect(parts.header["alg"]?.string == "ES256")
        #expect(parts.header["kid"]?.string == "k-1")
        #expect(parts.claims["iss"]?.string == "svc" && parts.claims["aud"]?.string == "https://as/token")
    }

    @Test(arguments: ["garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", #"{"kty":"EC","crv":"P-256"}"#])
    func unusableKeyIsASecretErrorThatDoesNotQuoteIt(key: String) async throws {
        let claims = ClientAssertion.Claims(clientID: "svc", audience: "https://as/token", now: Date())
        let error = try await #require(throws: AuthFlowError.self) { try await ClientAssertion.sign(claims, privateKey: Secret(key), keyID: nil) }
        #expect(error.kind == .secret)
        #expect(!error.message.contains(key))
    }

    @Test func hs256NeedsAThirtyTwoByteSecret() async throws {
        let claims = ClientAssertion.Claims(clientID: "svc", audience: "https://as/token", now: Date())
        let error = try await #require(throws: AuthFlowError.self) { try await ClientAssertion.sign(claims, secret: Secret("short")) }
        #expect(error.kind == .secret)
        let token = try await ClientAssertion.sign(claims, secret: Secret(String(repeating: "s", count: 32))).reveal()
        #expect(JWTParts(token)?.header["alg"]?.string == "HS256")
    }

    @Test func privateKeyJWTSendsTheAssertionAndNoSecret() {
        let applied = ClientAuthentication.apply(.privateKeyJWT, clientID: "svc", secret: nil, assertion: Secret("a.b.c"))
        #expect(applied.headers.isEmpty)
        #expect(applied.fields.map(\.name) == ["client_assertion_type", "client_assertion"])
        #expect(applied.fields.first?.value == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    }
}
