import AuthFlowCore
import Foundation
import JWTKit

/// The public keys a client registered for `private_key_jwt`: PEM (RSA or EC P-256), JWK or JWKS
/// files, loaded once at start. A file that does not parse stops the server with its path named.
enum ClientKeys {
    /// One key collection per key in `paths`: a collection falls back to its default key for an
    /// unknown `kid`, so each key gets its own and verification tries them in turn.
    static func load(_ paths: [String], client: String) async throws -> [JWTKeyCollection] {
        var all: [JWTKeyCollection] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AuthFlowError(.secret, "clients.\(client).public_keys: cannot read \(path)", hint: "check the path; relative paths start at the serve file's folder")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                all += try await collections(text)
            } catch {
                throw AuthFlowError(.secret, "clients.\(client).public_keys: \(path) is not a PEM public key, JWK or JWKS (RS256 or ES256)",
                                    hint: "write the client's public key, e.g. openssl pkey -in key.pem -pubout")
            }
        }
        return all
    }

    private static func collections(_ text: String) async throws -> [JWTKeyCollection] {
        if text.hasPrefix("{") {
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw JWTError.invalidJWK(reason: "not an object") }
            var all: [JWTKeyCollection] = []
            for var jwk in object["keys"] as? [[String: Any]] ?? [object] {
                if jwk["alg"] == nil { jwk["alg"] = jwk["kty"] as? String == "EC" ? "ES256" : "RS256" }
                if jwk["kid"] == nil { jwk["kid"] = "key" }
                let decoded = try JSONDecoder().decode(JWK.self, from: try JSONSerialization.data(withJSONObject: jwk))
                all.append(try await JWTKeyCollection().add(jwk: decoded, isDefault: true))
            }
            return all
        }
        if let rsa = try? Insecure.RSA.PublicKey(pem: text) {
            return [await JWTKeyCollection().add(rsa: rsa, digestAlgorithm: .sha256)]
        }
        return [await JWTKeyCollection().add(ecdsa: try ES256PublicKey(pem: text))]
    }
}
