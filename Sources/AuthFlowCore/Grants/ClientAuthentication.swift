public import Foundation

/// How a client proves itself at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2).
public enum ClientAuthentication {
    /// What a request carries to authenticate its client.
    public struct Parts: Sendable {
        /// Headers to add (`Authorization` for Basic).
        public var headers: [(name: String, value: String)]
        /// Form fields to add.
        public var fields: [(name: String, value: String)]
        /// Secret values among them, kept for redaction.
        public var secrets: [Secret]
    }

    /// The header and form fields that authenticate `clientID` with `secret` by `method`;
    /// `assertion` is the signed JWT for `private_key_jwt` and `client_secret_jwt`.
    public static func apply(_ method: Profile.ClientAuth, clientID: String, secret: Secret?, assertion: Secret? = nil) -> (headers: [(name: String, value: String)], fields: [(name: String, value: String)]) {
        switch method {
        case .clientSecretBasic:
            return ([("Authorization", basicHeader(clientID: clientID, secret: secret ?? Secret("")))], [])
        case .clientSecretPost:
            return ([], [("client_id", clientID), ("client_secret", secret?.reveal() ?? "")])
        case .privateKeyJWT, .clientSecretJWT:
            // The assertion names the client (`iss`/`sub`); client_id is optional (RFC 7521 §4.2) and left out.
            return ([], [("client_assertion_type", ClientAssertion.type), ("client_assertion", assertion?.reveal() ?? "")])
        case .none, .tlsClientAuth:
            // tls_client_auth: the TLS layer presents the certificate; the body names the client (RFC 8705 §2).
            return ([], [("client_id", clientID)])
        }
    }

    /// Resolves what `profile.client` needs and builds its part of a request to `endpoint`
    /// (the assertion's `aud`).
    public static func parts(for client: Profile.Client, endpoint: URL, resolver: SecretResolver, now: Date) async throws -> Parts {
        var secrets: [Secret] = []
        var secret: Secret?
        var assertion: Secret?
        switch client.auth {
        case .clientSecretBasic, .clientSecretPost:
            if let reference = client.secret { secret = try await resolver.resolve(reference, field: "client.secret") }
        case .clientSecretJWT:
            if let reference = client.secret {
                let key = try await resolver.resolve(reference, field: "client.secret")
                secrets.append(key)
                assertion = try await ClientAssertion.sign(.init(clientID: client.id, audience: endpoint.absoluteString, now: now), secret: key)
            }
        case .privateKeyJWT:
            if let reference = client.privateKey {
                let key = try await resolver.resolve(reference, field: "client.private_key")
                secrets.append(key)
                assertion = try await ClientAssertion.sign(.init(clientID: client.id, audience: endpoint.absoluteString, now: now), privateKey: key, keyID: client.keyID)
            }
        case .none, .tlsClientAuth: break  // the transport resolves tls.client_key
        }
        secrets += [secret, assertion].compactMap { $0 }
        let applied = apply(client.auth, clientID: client.id, secret: secret, assertion: assertion)
        return Parts(headers: applied.headers, fields: applied.fields, secrets: secrets)
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` per RFC 6749 §2.3.1.
    public static func basicHeader(clientID: String, secret: Secret) -> String {
        let pair = "\(FormEncoding.encode(clientID)):\(FormEncoding.encode(secret.reveal()))"
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}
