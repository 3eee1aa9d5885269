import Foundation
import JWTKit

/// The signature of a JWS against one key from the issuer's JWKS, verified by jwt-kit. The key is
/// first matched to the token's `alg` (key type, curve, the key's own `alg` and `use`), and jwt-kit
/// is handed a collection holding that key alone, so it can never fall back to another.
enum SignatureCheck {
    /// The key type (and curve) each allowed algorithm needs.
    static func keyType(for alg: String) -> (kty: String, crv: String?)? {
        switch alg {
        case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512": ("RSA", nil)
        case "ES256": ("EC", "P-256")
        case "ES384": ("EC", "P-384")
        case "ES512": ("EC", "P-521")
        case "EdDSA": ("OKP", nil)
        default: nil
        }
    }

    /// `kid`: the key fits `alg`; nil when it does.
    static func mismatch(_ key: [String: JSONValue], alg: String) -> String? {
        let kid = key["kid"]?.string.map { "'\(TokenClaims.shown($0, limit: 64))'" } ?? "of the JWKS"
        guard let needed = keyType(for: alg) else { return "no key type is known for alg \(alg)" }
        let kty = key["kty"]?.string ?? "?"
        if kty != needed.kty { return "key \(kid) is a \(TokenClaims.shown(kty, limit: 10)) key; alg \(alg) needs \(needed.kty)" }
        if let crv = needed.crv, key["crv"]?.string != crv { return "key \(kid) is not on curve \(crv), which alg \(alg) needs" }
        if let own = key["alg"]?.string, own != alg { return "key \(kid) is for \(TokenClaims.shown(own, limit: 20)), but the token says \(alg)" }
        return nil
    }

    /// Verifies `token` with `key`; the verified claims, or the reason for the `signature` check.
    /// A key jwt-kit cannot load (an RSA key under 2048 bits, a broken JWK) is the JWKS's fault: exit 76.
    static func verify(_ token: String, with key: [String: JSONValue]) async throws -> Result<[String: JSONValue], SignatureFailure> {
        var publicKey = key.filter { !["d", "p", "q", "dp", "dq", "qi", "oth", "k"].contains($0.key) }
        if publicKey["kid"] == nil { publicKey["kid"] = .string("authflow-only-key") }
        let keys = JWTKeyCollection()
        do {
            let jwk = try JSONDecoder().decode(JWK.self, from: Data(JSONValue.object(publicKey).serialized().utf8))
            try await keys.add(jwk: jwk)
        } catch {
            let kid = key["kid"]?.string.map { " '\(TokenClaims.shown($0, limit: 64))'" } ?? ""
            throw AuthFlowError(.protocolError, "the issuer's JWKS key\(kid) cannot be used: \(TokenClaims.shown(String(describing: error), limit: 160))",
                                hint: "the issuer publishes a key jwt-kit cannot load (RSA keys need at least 2048 bits)")
        }
        do {
            return .success(try await keys.verify(token, as: VerifiedClaims.self).claims)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            return .failure(SignatureFailure(reason: "the signature does not match the issuer's key \(key["kid"]?.string.map { "'\(TokenClaims.shown($0, limit: 64))'" } ?? "")"))
        } catch {
            return .failure(SignatureFailure(reason: "jwt-kit refused the token: \(TokenClaims.shown(String(describing: error), limit: 160))"))
        }
    }

    /// Why the signature check failed.
    struct SignatureFailure: Error {
        let reason: String
    }
}

/// A JWT's claims as JSON values, decoded by jwt-kit after it checked the signature. authflow
/// checks the claims itself (with its leeway and its messages), so `verify(using:)` accepts all.
struct VerifiedClaims: JWTPayload {
    let claims: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        claims = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(claims)
    }

    func verify(using _: some JWTAlgorithm) async throws {}
}
