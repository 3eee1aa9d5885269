import AuthFlowCore
import Foundation
import JWTKit
import Testing

/// `authflow verify`'s checks, one attack or mistake per test, each naming the check that must fail.
@Suite struct TokenVerifierTests {
    typealias F = VerifyFixtures

    let harness: VerifyHarness

    init() throws { harness = try VerifyHarness() }

    /// The report fails exactly at `check`, and every check before it passed.
    func expectFailure(_ report: VerificationReport, at check: String, containing fragment: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!report.isValid, sourceLocation: sourceLocation)
        #expect(report.firstFailure?.name == check, "\(report.checks)", sourceLocation: sourceLocation)
        #expect(report.line.hasPrefix("invalid: \(check): "), sourceLocation: sourceLocation)
        #expect(fragment.isEmpty || report.firstFailure?.detail.contains(fragment) == true, "\(report.line)", sourceLocation: sourceLocation)
        #expect(report.claims == nil, sourceLocation: sourceLocation)
    }

    @Test func validTokenPassesEveryCheck() async throws {
        let report = try await harness.verify(try await F.sign(F.accessClaims()), policy: {
            $0.requiredScopes = ["api:read"]
            $0.clientID = F.clientID
            $0.minTTL = .seconds(600)
        })
        #expect(report.isValid, "\(report.checks)")
        #expect(report.checks.allSatisfy { $0.outcome != .fail })
        #expect(report.line == "valid: sub=testuser1@example.com aud=api://default exp=2026-11-29T04:59:00Z\n")
        #expect(report.result("signature") == .pass)
        #expect(report.result("scope") == .pass && report.result("cid") == .pass && report.result("min_ttl") == .pass)
        #expect(harness.server.fetches == 1)
    }

    @Test func tamperedPayloadFailsSignature() async throws {
        let parts = try await F.sign(F.accessClaims()).split(separator: ".").map(String.init)
        let forged = F.unsigned(header: [:], claims: F.accessClaims(["sub": .string("admin@example.com")])).split(separator: ".")[1]
        let report = try await harness.verify("\(parts[0]).\(forged).\(parts[2])")
        expectFailure(report, at: "signature", containing: "does not match")
        #expect(report.result("iss") == .skip, "claims are not judged without a valid signature")
    }

    @Test func tamperedSignatureFailsSignature() async throws {
        var parts = try await F.sign(F.accessClaims()).split(separator: ".").map(String.init)
        var signature = Array(parts[2])
        signature[10] = signature[10] == "A" ? "B" : "A"
        parts[2] = String(signature)
        expectFailure(try await harness.verify(parts.joined(separator: ".")), at: "signature")
    }

    @Test func algNoneIsRefused() async throws {
        let token = F.unsigned(header: ["alg": .string("none"), "kid": .string("k1")], claims: F.accessClaims())
        expectFailure(try await harness.verify(token), at: "alg", containing: "none")
        #expect(harness.server.fetches == 0, "no key is fetched for a token refused on its header")
    }

    @Test(arguments: ["pem", "jwk"])
    func hmacSignedWithThePublicKeyIsRefused(_ form: String) async throws {
        // The classic confusion attack: HS256 keyed with the bytes of the issuer's public key.
        let publicKey = form == "pem" ? try F.rsaKey("rsa-1").publicKey.pemRepresentation : try F.jwk("rsa-1", kid: "k1").serialized()
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: publicKey), digestAlgorithm: .sha256, kid: "k1")
        let token = try await keys.sign(TestClaims(F.accessClaims()), kid: "k1")
        expectFailure(try await harness.verify(token), at: "alg", containing: "HMAC")
        // Even an allow-list naming HS256 does not let it through.
        expectFailure(try await harness.verify(token) { $0.algorithms = ["RS256", "HS256"] }, at: "alg", containing: "HMAC")
    }

    @Test func algorithmOutsideTheAllowListIsRefused() async throws {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try F.rsaKey("rsa-1"), digestAlgorithm: .sha384, kid: "k1")
        let token = try await keys.sign(TestClaims(F.accessClaims()), kid: "k1")
        expectFailure(try await harness.verify(token), at: "alg", containing: "RS384 is not allowed")
    }

    @Test func wrongIssuerFailsIss() async throws {
        let token = try await F.sign(F.accessClaims(["iss": .string("https://evil.example.com/oauth2/default")]))
        expectFailure(try await harness.verify(token), at: "iss", containing: "evil.example.com")
    }

    @Test func wrongAudienceFailsAud() async throws {
        let token = try await F.sign(F.accessClaims(["aud": .string("api://other")]))
        expectFailure(try await harness.verify(token), at: "aud", containing: "api://other")
        let accepted = try await harness.verify(token) { $0.audiences = ["api://other"] }
        #expect(accepted.isValid)
    }

    @Test func expiredTokenFailsExp() async throws {
        let token = try await F.sign(F.accessClaims(["exp": .number(F.now.timeIntervalSince1970 - 61)]))
        expectFailure(try await harness.verify(token), at: "exp", containing: "expired 1 min ago")
        // Within the leeway it still passes.
        let recent = try await F.sign(F.accessClaims(["exp": .number(F.now.timeIntervalSince1970 - 30)]))
        #expect(try await harness.verify(recent).isValid)
    }

    @Test func tokenWithoutExpFailsExp() async throws {
        expectFailure(try await harness.verify(try await F.sign(F.accessClaims(["exp": nil]))), at: "exp", containing: "no exp")
    }

    @Test func notYetValidTokenFailsNbf() async throws {
        let token = try await F.sign(F.accessClaims(["nbf": .number(F.now.timeIntervalSince1970 + 300)]))
        expectFailure(try await harness.verify(token), at: "nbf", containing: "in 5 min")
    }

    @Test func tokenIssuedInTheFutureFailsIat() async throws {
        let token = try await F.sign(F.accessClaims(["iat": .number(F.now.timeIntervalSince1970 + 600)]))
        expectFailure(try await harness.verify(token), at: "iat")
    }

    @Test func missingScopeFailsScope() async throws {
        let token = try await F.sign(F.accessClaims())
        expectFailure(try await harness.verify(token) { $0.requiredScopes = ["api:read", "api:write"] }, at: "scope", containing: "missing api:write")
    }

    @Test func otherClientFailsCid() async throws {
        let token = try await F.sign(F.accessClaims(["cid": .string("someone-else")]))
        #expect(try await harness.verify(token).isValid, "cid is checked only when asked")
        expectFailure(try await harness.verify(token) { $0.clientID = F.clientID }, at: "cid", containing: "someone-else")
    }

    @Test func shortLivedTokenFailsMinTTL() async throws {
        let token = try await F.sign(F.accessClaims(["exp": .number(F.now.timeIntervalSince1970 + 240)]))
        expectFailure(try await harness.verify(token) { $0.minTTL = .seconds(600) }, at: "min_ttl", containing: "expires in 4 min")
    }

    @Test func idTokenOfferedAsAccessTokenIsRefused() async throws {
        let idToken = try await F.sign([
            "iss": .string(F.issuer), "sub": .string("00u1testuser1"), "aud": .string(F.clientID),
            "iat": .number(F.now.timeIntervalSince1970 - 60), "exp": .number(F.now.timeIntervalSince1970 + 3540),
            "auth_time": .number(F.now.timeIntervalSince1970 - 60), "amr": .array([.string("pwd")]), "nonce": .string("n-0S6_WzA2Mj"),
        ])
        expectFailure(try await harness.verify(idToken), at: "token_type", containing: "an ID token")
    }

    @Test(arguments: ["jku", "x5u", "jwk"])
    func headerNamingItsOwnKeyIsRefused(_ parameter: String) async throws {
        let value: JWTHeaderField = parameter == "jwk" ? .object(["kty": .string("RSA")]) : .string("https://evil.example.com/keys")
        let token = try await F.sign(F.accessClaims(), header: JWTHeader(fields: [parameter: value]))
        expectFailure(try await harness.verify(token), at: "header", containing: parameter)
        #expect(harness.server.fetches == 0)
    }

    @Test func criticalHeaderExtensionIsRefused() async throws {
        let token = try await F.sign(F.accessClaims(), header: JWTHeader(fields: ["crit": .array([.string("exp")]), "exp": .int(1)]))
        expectFailure(try await harness.verify(token), at: "header", containing: "crit")
    }

    @Test func oversizedKeyIDIsRefusedUnread() async throws {
        let token = try await F.sign(F.accessClaims(), kid: String(repeating: "k", count: 300))
        expectFailure(try await harness.verify(token), at: "kid", containing: "longer than 256")
        #expect(harness.server.fetches == 0)
    }

    @Test func opaqueTokenFailsFormat() async throws {
        expectFailure(try await harness.verify("x8fJ3kQ0bLw7Zt2v"), at: "format", containing: "opaque")
    }

    @Test func keyOfTheWrongTypeIsRefused() async throws {
        let ec = ES256PrivateKey()
        let parameters = try #require(ec.publicKey.parameters)
        harness.server.publish([.object(["kty": .string("EC"), "crv": .string("P-256"), "kid": .string("k1"), "x": .string(parameters.x), "y": .string(parameters.y)])])
        // An RS256 token naming an EC key's kid.
        expectFailure(try await harness.verify(try await F.sign(F.accessClaims())), at: "kid", containing: "needs RSA")
    }

    @Test func es256VerifiesWhenAllowed() async throws {
        let ec = ES256PrivateKey()
        let parameters = try #require(ec.publicKey.parameters)
        harness.server.publish([.object(["kty": .string("EC"), "crv": .string("P-256"), "kid": .string("e1"), "alg": .string("ES256"), "x": .string(parameters.x), "y": .string(parameters.y)])])
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: ec, kid: "e1")
        let token = try await keys.sign(TestClaims(F.accessClaims()), kid: "e1")
        expectFailure(try await harness.verify(token), at: "alg", containing: "ES256 is not allowed")
        #expect(try await harness.verify(token) { $0.algorithms = ["RS256", "ES256"] }.isValid)
    }
}

/// `verify --id-token`: the checks of an ID token (OpenID Connect Core §3.1.3.7) on signed tokens.
@Suite struct IDTokenVerifierTests {
    typealias F = VerifyFixtures

    let harness: VerifyHarness

    init() throws { harness = try VerifyHarness() }

    /// ID token claims for the fixture client: aud is the client id, no scp, no cid.
    static func idClaims(_ changes: [String: JSONValue?] = [:]) -> [String: JSONValue] {
        var claims = F.accessClaims(["aud": .string(F.clientID), "scp": nil, "cid": nil, "jti": nil, "ver": nil, "nonce": .string("n-1")])
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    func verify(_ claims: [String: JSONValue]) async throws -> VerificationReport {
        try await harness.verify(try await F.sign(claims), policy: {
            $0.idToken = true
            $0.audiences = [F.clientID]
        })
    }

    @Test func anIDTokenForTheClientIsValid() async throws {
        let report = try await verify(Self.idClaims())
        #expect(report.isValid, "\(report.checks)")
        #expect(report.result("cid") == .skip && report.result("scope") == .skip && report.result("iat") == .pass)
        #expect(report.line.hasPrefix("valid: sub=testuser1@example.com aud=\(F.clientID) exp="))
    }

    @Test func iatIsRequired() async throws {
        #expect(try await verify(Self.idClaims(["iat": nil])).firstFailure?.name == "iat")
    }

    @Test func azpWhenPresentIsTheClient() async throws {
        #expect(try await verify(Self.idClaims(["azp": .string(F.clientID)])).isValid)
        let other = try await verify(Self.idClaims(["azp": .string("someone-else")]))
        #expect(other.firstFailure?.name == "aud" && other.firstFailure?.detail.contains("azp is 'someone-else'") == true, "\(other.checks)")
        let several = try await verify(Self.idClaims(["aud": .array([.string(F.clientID), .string("api://default")])]))
        #expect(several.firstFailure?.detail.contains("names no azp") == true, "\(several.checks)")
    }

    @Test func anAccessTokenIsNotAnIDToken() async throws {
        let report = try await harness.verify(try await F.sign(F.accessClaims()), policy: {
            $0.idToken = true
            $0.audiences = [F.clientID]
        })
        #expect(report.firstFailure?.name == "token_type" && report.firstFailure?.detail.contains("not an ID token") == true, "\(report.checks)")
    }
}
