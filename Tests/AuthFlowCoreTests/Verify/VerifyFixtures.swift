import AuthFlowCore
import Foundation
import JWTKit
import Testing

/// An issuer for the verification tests: test keys from `Fixtures/keys/`, tokens minted with
/// jwt-kit, and a JWKS served by an in-memory transport that counts its fetches.
enum VerifyFixtures {
    static let issuer = "https://example.okta.com/oauth2/default"
    static let jwksURL = URL(string: "https://example.okta.com/oauth2/default/v1/keys") ?? URL(fileURLWithPath: "/")
    static let clientID = "0oab8olIgVNOkztHm0h7"
    /// 2026-11-29T04:00:00Z, the tests' now.
    static let now = Date(timeIntervalSince1970: 1_795_924_800)

    static func pem(_ name: String) throws -> String {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try String(contentsOf: fixtures.appendingPathComponent("keys/\(name).pem"), encoding: .utf8)
    }

    static func rsaKey(_ name: String) throws -> Insecure.RSA.PrivateKey {
        try Insecure.RSA.PrivateKey(pem: try pem(name))
    }

    /// The public JWK of an RSA test key, as an issuer publishes it.
    static func jwk(_ name: String, kid: String, alg: String? = "RS256") throws -> JSONValue {
        let (n, e) = try rsaKey(name).publicKey.getKeyPrimitives()
        var members: [String: JSONValue] = ["kty": .string("RSA"), "kid": .string(kid), "use": .string("sig"),
                                            "n": .string(base64URL(n)), "e": .string(base64URL(e))]
        if let alg { members["alg"] = .string(alg) }
        return .object(members)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Okta-style access token claims for `now`: valid for an hour, `api://default`, `api:read`.
    static func accessClaims(_ changes: [String: JSONValue?] = [:]) -> [String: JSONValue] {
        var claims: [String: JSONValue] = [
            "ver": .number(1), "jti": .string("AT.test"), "iss": .string(issuer), "aud": .string("api://default"),
            "iat": .number(now.timeIntervalSince1970 - 60), "exp": .number(now.timeIntervalSince1970 + 3540),
            "cid": .string(clientID), "uid": .string("00u1testuser1"), "scp": .array([.string("openid"), .string("api:read")]),
            "sub": .string("testuser1@example.com"),
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    /// `claims` signed RS256 with test key `key` under `kid`, with extra header fields.
    static func sign(_ claims: [String: JSONValue], key: String = "rsa-1", kid: String = "k1", header: JWTHeader = JWTHeader()) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try rsaKey(key), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(TestClaims(claims), kid: JWKIdentifier(string: kid), header: header)
    }

    /// A token with `header` and `claims` as given and `signature` as its third part, signed by nobody.
    static func unsigned(header: [String: JSONValue], claims: [String: JSONValue], signature: String = "") -> String {
        "\(base64URL(Data(JSONValue.object(header).serialized().utf8))).\(base64URL(Data(JSONValue.object(claims).serialized().utf8))).\(signature)"
    }

    /// A fresh, private cache folder.
    static func cacheFolder() throws -> CacheFolder {
        let folder = CacheFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("authflow-verify-\(UUID().uuidString)").path)
        try folder.prepare()
        return folder
    }
}

/// One test's issuer: a JWKS server publishing test key `rsa-1` as `k1`, a private cache folder, a clock.
struct VerifyHarness {
    let server: JWKSServer
    let folder: CacheFolder
    let clock = TestClock()

    init() throws {
        server = JWKSServer(keys: [try VerifyFixtures.jwk("rsa-1", kid: "k1")])
        folder = try VerifyFixtures.cacheFolder()
    }

    /// Verifies `token` for the fixture issuer (audience `api://default`), `policy` adjusted.
    func verify(_ token: String, policy: (inout VerificationPolicy) -> Void = { _ in }) async throws -> VerificationReport {
        let clock = clock
        var settings = VerificationPolicy(issuer: VerifyFixtures.issuer, audiences: ["api://default"], ownClientID: VerifyFixtures.clientID, now: { clock.now })
        policy(&settings)
        let keys = JWKSProvider(issuer: VerifyFixtures.issuer, url: VerifyFixtures.jwksURL, transport: server, cache: JWKSCache(folder: folder), now: { clock.now })
        return try await TokenVerifier(keys: keys, policy: settings).verify(token)
    }
}

/// A claims payload for minting test tokens.
struct TestClaims: JWTPayload {
    var claims: [String: JSONValue]
    init(_ claims: [String: JSONValue]) { self.claims = claims }
    init(from decoder: any Decoder) throws { claims = try decoder.singleValueContainer().decode([String: JSONValue].self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(claims)
    }
    func verify(using _: some JWTAlgorithm) async throws {}
}

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = VerifyFixtures.now) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Serves a JWKS at `VerifyFixtures.jwksURL`, counting fetches; the keys (or a failure) can change mid-test.
final class JWKSServer: FakeTransport, @unchecked Sendable {
    private let state: State

    /// What the server publishes; guarded by the transport's lock, which `respond` runs under.
    private final class State: @unchecked Sendable {
        var keys: [JSONValue]
        var answer: TransportResponse?
        init(keys: [JSONValue]) { self.keys = keys }
    }

    init(keys: [JSONValue]) {
        let state = State(keys: keys)
        self.state = state
        super.init { request in
            guard request.method == "GET", request.url == VerifyFixtures.jwksURL else {
                throw AuthFlowError(.unavailable, "unexpected request \(request.method) \(request.url)")
            }
            if let answer = state.answer { return answer }
            return TransportResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(JSONValue.object(["keys": .array(state.keys)]).serialized().utf8))
        }
    }

    /// How many times the JWKS was fetched.
    var fetches: Int { sent.count { $0.method == "GET" && $0.url == VerifyFixtures.jwksURL } }
    /// Publishes `keys` from now on (key rotation).
    func publish(_ keys: [JSONValue]) { withLock { state.keys = keys } }
    /// Answers every request with `response` from now on.
    func fail(with response: TransportResponse) { withLock { state.answer = response } }
}

extension VerificationReport {
    /// The result of check `name`.
    func result(_ name: String) -> VerificationCheck.Outcome? { checks.first { $0.name == name }?.outcome }
}
