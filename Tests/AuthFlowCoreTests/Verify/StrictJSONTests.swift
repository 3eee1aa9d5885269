import _CryptoExtras
import AuthFlowCore
import Foundation
import Testing

/// JSON from outside (token responses, JWT headers and claims, discovery, JWKS) means one thing:
/// a member named twice is not JSON, whichever copy another reader would have taken.
@Suite struct StrictJSONTests {
    typealias F = VerifyFixtures

    /// A JWT whose payload is `payload` byte for byte, signed RS256 with the fixture key.
    static func signedRaw(payload: String, kid: String = "k1") throws -> String {
        let header = F.base64URL(Data(#"{"alg":"RS256","typ":"JWT","kid":"\#(kid)"}"#.utf8))
        let input = header + "." + F.base64URL(Data(payload.utf8))
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: try F.pem("rsa-1"))
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + F.base64URL(signature.rawRepresentation)
    }

    @Test("a signed token with exp twice (valid first, expired last) does not verify")
    func duplicateExpIsRefused() async throws {
        let harness = try VerifyHarness()
        var claims = F.accessClaims()
        claims["exp"] = nil
        let members = JSONValue.object(claims).serialized().dropLast()  // without the closing brace
        let now = F.now.timeIntervalSince1970
        let payload = "\(members),\"exp\":\(Int(now) + 600),\"exp\":\(Int(now) - 600)}"
        let token = try Self.signedRaw(payload: payload)
        let report = try await harness.verify(token)
        #expect(!report.isValid, "\(report.checks)")
        // The same token with the member once verifies: the signature and the rest are sound.
        let once = try Self.signedRaw(payload: "\(members),\"exp\":\(Int(now) + 600)}")
        #expect(try await harness.verify(once).isValid)
    }

    @Test("a token response naming access_token twice is not a token response (76)")
    func duplicateAccessTokenIsRefused() throws {
        let body = #"{"access_token":"first","token_type":"Bearer","expires_in":60,"access_token":"second"}"#
        let error = try #require(throws: AuthFlowError.self) {
            try TokenResponseParser.parse(TransportResponse(status: 200, body: Data(body.utf8)), from: URL(fileURLWithPath: "/t"), secrets: [], now: F.now)
        }
        #expect(error.kind == .protocolError)
    }

    @Test("JSONValue.parse refuses duplicates at any depth and keeps valid JSON such as 0e4")
    func parserIsStrict() {
        #expect(JSONValue.parse(Data(#"{"a":1,"a":1}"#.utf8)) == nil)
        #expect(JSONValue.parse(Data(#"{"o":{"k":true,"k":false}}"#.utf8)) == nil)
        #expect(JSONValue.parse(Data(#"{"n":0e4,"s":"x"}"#.utf8)) == .object(["n": .number(0), "s": .string("x")]))
    }

    @Test("iss must equal the issuer exactly: one trailing slash more is another issuer")
    func issuerIsExact() async throws {
        let harness = try VerifyHarness()
        let slashed = try await F.sign(F.accessClaims(["iss": .string(F.issuer + "/")]))
        let report = try await harness.verify(slashed)
        #expect(report.firstFailure?.name == "iss", "\(report.checks)")
        #expect(try await harness.verify(try await F.sign(F.accessClaims())).isValid)
    }
}
