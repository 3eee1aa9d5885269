public import Foundation
import JWTKit

/// A client assertion (RFC 7523 §2.2, OIDC Core §9): a short-lived JWT whose `iss` and `sub` are
/// the client id and whose `aud` is the endpoint it is sent to, signed with the client's private
/// key (`private_key_jwt`, RS256 or ES256) or its secret (`client_secret_jwt`, HS256).
public enum ClientAssertion {
    /// The `client_assertion_type` of a JWT assertion.
    public static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// The shortest secret HS256 may use (RFC 7518 §3.2).
    public static let minimumHMACSecretLength = 32

    /// How long an assertion is valid: long enough for one request, short enough to be useless later.
    public static let lifetime: TimeInterval = 60

    /// The claims of an assertion.
    public struct Claims: Codable, Sendable, Equatable {
        /// The issuer: the client id.
        public var iss: String
        /// The subject: the client id (or, for a jwt_bearer grant, the user).
        public var sub: String
        /// The audience: the endpoint the assertion is sent to.
        public var aud: String
        /// A unique id, so the server can refuse a replay.
        public var jti: String
        /// Issued at, Unix seconds.
        public var iat: Int
        /// Expiry, Unix seconds.
        public var exp: Int

        /// Claims for `clientID` at `audience`, valid from `now` for `lifetime`.
        public init(clientID: String, subject: String? = nil, audience: String, now: Date, lifetime: TimeInterval = ClientAssertion.lifetime) {
            iss = clientID
            sub = subject ?? clientID
            aud = audience
            jti = UUID().uuidString.lowercased() + "-" + String(UInt64.random(in: .min ... .max), radix: 36)
            iat = Int(now.timeIntervalSince1970)
            exp = iat + Int(lifetime)
        }
    }

    /// jwt-kit's view of the claims; signing needs no verification.
    private struct Payload: JWTPayload {
        var claims: Claims
        init(_ claims: Claims) { self.claims = claims }
        init(from decoder: any Decoder) throws { claims = try Claims(from: decoder) }
        func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Signs `claims` with `privateKey`, a PEM (RSA or EC P-256) or a JWK, naming `keyID` as `kid`.
    /// A key that does not parse is a secret error (exit 78) that never quotes the key.
    public static func sign(_ claims: Claims, privateKey: Secret, keyID: String?) async throws -> Secret {
        let keys = JWTKeyCollection()
        let text = privateKey.reveal().trimmingCharacters(in: .whitespacesAndNewlines)
        var kid = keyID
        if text.hasPrefix("{") {
            let ownKID = try await addJWK(text, to: keys)
            kid = keyID ?? ownKID
        } else if text.contains("-----BEGIN") {
            if let rsa = try? Insecure.RSA.PrivateKey(pem: text) {
                await keys.add(rsa: rsa, digestAlgorithm: .sha256)
            } else if let ec = try? ES256PrivateKey(pem: text) {
                await keys.add(ecdsa: ec)
            } else {
                throw unusable("the PEM is neither an RSA nor an EC P-256 private key")
            }
        } else {
            throw unusable("it is neither a PEM nor a JWK")
        }
        var header = JWTHeader()
        header.typ = "JWT"
        if let kid { header.kid = kid }
        do {
            return Secret(try await keys.sign(Payload(claims), header: header))
        } catch {
            throw unusable("signing failed")
        }
    }

    /// Signs `claims` with `secret` by HS256 (`client_secret_jwt`).
    public static func sign(_ claims: Claims, secret: Secret) async throws -> Secret {
        // RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
        guard secret.reveal().utf8.count >= minimumHMACSecretLength else {
            throw AuthFlowError(.secret, "client.secret is too short for client_secret_jwt: HS256 needs at least \(minimumHMACSecretLength) bytes (RFC 7518 §3.2)",
                                hint: "use a longer client secret, or client.auth: client_secret_basic")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret.reveal()), digestAlgorithm: .sha256)
        var header = JWTHeader()
        header.typ = "JWT"
        return Secret(try await keys.sign(Payload(claims), header: header))
    }

    /// Adds a private JWK; a missing `alg` is taken from `kty` (RS256, ES256) and a missing `kid`
    /// is filled in, as jwt-kit needs both. Returns the JWK's own `kid`.
    private static func addJWK(_ text: String, to keys: JWTKeyCollection) async throws -> String? {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw unusable("the JWK is not a JSON object")
        }
        guard object["d"] != nil else { throw unusable("the JWK has no private part ('d')") }
        let ownKID = object["kid"] as? String
        switch (object["kty"] as? String, object["alg"] as? String) {
        case ("RSA", nil): object["alg"] = "RS256"
        case ("EC", nil): object["alg"] = "ES256"
        case ("RSA", "RS256"?), ("EC", "ES256"?): break
        default: throw unusable("the JWK must be an RSA (RS256) or EC P-256 (ES256) key")
        }
        if ownKID == nil { object["kid"] = "authflow" }
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            try await keys.add(jwk: JSONDecoder().decode(JWK.self, from: data), isDefault: true)
        } catch {
            throw unusable("the JWK does not hold a usable private key")
        }
        return ownKID
    }

    private static func unusable(_ why: String) -> AuthFlowError {
        AuthFlowError(.secret, "client.private_key is not a usable private key: \(why)",
                      hint: "give a PEM (-----BEGIN PRIVATE KEY-----, RSA or EC P-256) or a private JWK, e.g. file:client-key.pem")
    }
}
