import AuthFlowCore
import Foundation
import JWTKit
import Testing

/// Where keys come from: the issuer's JWKS, cached per issuer, refetched once (rate-limited) for an
/// unknown `kid`, and infrastructure failures that keep their exit codes (docs/reference/exit-codes.md).
@Suite struct JWKSProviderTests {
    typealias F = VerifyFixtures

    let harness: VerifyHarness

    init() throws { harness = try VerifyHarness() }

    @Test func keysAreCachedBetweenRuns() async throws {
        let token = try await F.sign(F.accessClaims(["exp": .number(F.now.timeIntervalSince1970 + 86400)]))
        #expect(try await harness.verify(token).isValid)
        harness.clock.advance(1800)
        #expect(try await harness.verify(token).isValid)
        #expect(harness.server.fetches == 1, "a fresh cached set is used without asking")
        harness.clock.advance(1801)
        #expect(try await harness.verify(token).isValid)
        #expect(harness.server.fetches == 2, "after the TTL (an hour) the set is fetched again")
        #expect(harness.folder.names().contains { $0.hasPrefix("jwks-") && $0.hasSuffix(".json") })
    }

    @Test func unknownKeyIDRefetchesOnceThenFails() async throws {
        #expect(try await harness.verify(try await F.sign(F.accessClaims())).isValid)
        #expect(harness.server.fetches == 1)
        harness.clock.advance(61)
        let stranger = try await F.sign(F.accessClaims(), key: "rsa-2", kid: "unknown-kid")
        let report = try await harness.verify(stranger)
        #expect(report.firstFailure?.name == "kid")
        #expect(report.firstFailure?.detail.contains("also after fetching it again") == true, "\(report.line)")
        #expect(harness.server.fetches == 2, "exactly one refetch for the unknown kid")
        // Right after, the same unknown kid does not reach the issuer again: at most one refetch a minute.
        let again = try await harness.verify(stranger)
        #expect(again.firstFailure?.name == "kid")
        #expect(again.firstFailure?.detail.contains("at most once a minute") == true, "\(again.line)")
        #expect(harness.server.fetches == 2)
    }

    @Test func keyRotationIsFollowed() async throws {
        #expect(try await harness.verify(try await F.sign(F.accessClaims())).isValid)
        // The issuer rotates: a new key k2 joins, and tokens are signed with it.
        harness.server.publish([try F.jwk("rsa-1", kid: "k1"), try F.jwk("rsa-2", kid: "k2")])
        harness.clock.advance(120)
        let rotated = try await F.sign(F.accessClaims(), key: "rsa-2", kid: "k2")
        let report = try await harness.verify(rotated)
        #expect(report.isValid, "\(report.line)")
        #expect(harness.server.fetches == 2)
        #expect(try await harness.verify(rotated).isValid)
        #expect(harness.server.fetches == 2, "the refetched set is cached")
    }

    @Test func aColdCacheDoesNotFetchTwice() async throws {
        let report = try await harness.verify(try await F.sign(F.accessClaims(), key: "rsa-2", kid: "unknown-kid"))
        #expect(report.firstFailure?.name == "kid")
        #expect(harness.server.fetches == 1, "a set fetched just now is not fetched again")
    }

    @Test func tokenWithoutKeyIDUsesTheOnlyKey() async throws {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try F.rsaKey("rsa-1"), digestAlgorithm: .sha256)
        let keyless = try await keys.sign(TestClaims(F.accessClaims()))
        #expect(JWTParts(keyless)?.header["kid"] == nil)
        #expect(try await harness.verify(keyless).isValid)
        // With two keys published, a token without kid cannot say which one it means.
        harness.server.publish([try F.jwk("rsa-1", kid: "k1"), try F.jwk("rsa-2", kid: "k2")])
        harness.clock.advance(3601)
        let report = try await harness.verify(keyless)
        #expect(report.firstFailure?.name == "kid")
        #expect(report.firstFailure?.detail.contains("no kid") == true, "\(report.line)")
    }

    @Test func encryptionKeysAreNotUsedForSignatures() async throws {
        var key = try #require(try F.jwk("rsa-1", kid: "k1").object)
        key["use"] = .string("enc")
        harness.server.publish([.object(key)])
        #expect(try await harness.verify(try await F.sign(F.accessClaims())).firstFailure?.name == "kid")
    }

    @Test(arguments: [(503, AuthFlowError.Kind.unavailable), (429, .unavailable), (404, .protocolError), (200, .protocolError)])
    func unusableJWKSIsAnInfrastructureFailure(_ status: Int, _ kind: AuthFlowError.Kind) async throws {
        harness.server.fail(with: TransportResponse(status: status, body: Data("<html>nope</html>".utf8)))
        let token = try await F.sign(F.accessClaims())
        await #expect(throws: AuthFlowError.self) { try await harness.verify(token) }
        do {
            _ = try await harness.verify(token)
        } catch let error as AuthFlowError {
            #expect(error.kind == kind, "\(error.message)")
            #expect(error.message.contains("JWKS"))
        }
    }

    @Test func weakKeyInTheJWKSIsAProtocolError() async throws {
        // A 1024-bit modulus: jwt-kit refuses RSA keys under 2048 bits.
        let modulus = F.base64URL(Data([0xC1] + Array(repeating: 0x55, count: 127)))
        harness.server.publish([.object(["kty": .string("RSA"), "kid": .string("k1"), "n": .string(modulus), "e": .string("AQAB")])])
        do {
            _ = try await harness.verify(try await F.sign(F.accessClaims()))
            Issue.record("a weak key must not verify anything")
        } catch let error as AuthFlowError {
            #expect(error.kind == .protocolError, "\(error.message)")
        }
    }
}
