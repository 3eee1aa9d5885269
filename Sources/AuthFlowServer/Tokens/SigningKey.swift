import AuthFlowCore
import Crypto
import _CryptoExtras
import Foundation
import JWTKit

/// The RS256 key that signs every token, and its public half as a JWK. The `kid` is the
/// key's RFC 7638 thumbprint, so a PEM given in the configuration keeps its `kid` across restarts.
struct SigningKey: Sendable {
    let keyID: String
    /// The public key as a JWK: `kty`, `alg`, `kid`, `use`, `n`, `e`.
    let jwk: JSONValue
    private let keys: JWTKeyCollection

    /// A new 2048-bit key.
    static func generate() async throws -> SigningKey {
        try await SigningKey(JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)))
    }

    /// The key in `pem` (PKCS#1 or PKCS#8); `field` names its setting in errors.
    static func load(pem: Secret, field: String) async throws -> SigningKey {
        let key: JWTKit.Insecure.RSA.PrivateKey
        do {
            key = try JWTKit.Insecure.RSA.PrivateKey(pem: pem.reveal())
        } catch {
            throw AuthFlowError(.secret, "\(field): not an RSA private key of at least 2048 bits in PEM form",
                                hint: "create one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out signing-key.pem")
        }
        return try await SigningKey(key)
    }

    private init(_ key: JWTKit.Insecure.RSA.PrivateKey) async throws {
        let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
        let n = modulus.base64URLEncoded, e = exponent.base64URLEncoded
        // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
        let thumbprint = Data(SHA256.hash(data: Data(#"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#.utf8)))
        keyID = thumbprint.base64URLEncoded
        jwk = .object(["kty": .string("RSA"), "alg": .string("RS256"), "kid": .string(keyID), "use": .string("sig"),
                       "n": .string(n), "e": .string(e)])
        keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID))
    }

    /// `claims` signed as a compact JWS with `alg: RS256` and this key's `kid`.
    func sign(_ claims: [String: JSONValue]) async throws -> String {
        try await keys.sign(ClaimSet(claims), kid: JWKIdentifier(string: keyID))
    }

    /// The claims of `token` when this key signed it and it has not expired; nil otherwise.
    func verifiedClaims(_ token: String) async -> [String: JSONValue]? {
        guard token.utf8.count < 16 * 1024 else { return nil }
        return try? await keys.verify(token, as: ClaimSet.self).claims
    }
}

extension Data {
    /// Base64url without padding (RFC 7515 §2).
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
