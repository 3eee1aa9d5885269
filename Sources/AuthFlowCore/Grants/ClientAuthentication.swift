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

    /// A client's credential, resolved once: the secret it sends, or the key it signs assertions with.
    public struct Credential: Sendable {
        /// The client.
        public var client: Profile.Client
        /// `client.secret` for Basic, post and `client_secret_jwt` (its HMAC key).
        public var secret: Secret?
        /// `client.private_key` for `private_key_jwt`.
        public var privateKey: Secret?
    }

    /// Resolves what `client` authenticates with (nothing for `none` and `tls_client_auth`: the
    /// transport resolves `tls.client_key`).
    public static func credential(for client: Profile.Client, resolver: SecretResolver) async throws -> Credential {
        var credential = Credential(client: client)
        switch client.auth {
        case .clientSecretBasic, .clientSecretPost, .clientSecretJWT:
            if let reference = client.secret { credential.secret = try await resolver.resolve(reference, field: "client.secret") }
        case .privateKeyJWT:
            if let reference = client.privateKey { credential.privateKey = try await resolver.resolve(reference, field: "client.private_key") }
        case .none, .tlsClientAuth: break
        }
        return credential
    }

    /// The client's part of a request to `endpoint` (the assertion's `aud`); an assertion is
    /// signed anew on every call, with a new `jti`.
    public static func parts(_ credential: Credential, endpoint: URL, now: Date) async throws -> Parts {
        let client = credential.client
        func claims() -> ClientAssertion.Claims { .init(clientID: client.id, audience: endpoint.absoluteString, now: now) }
        var assertion: Secret?
        switch (client.auth, credential.secret, credential.privateKey) {
        case (.clientSecretJWT, let key?, _): assertion = try await ClientAssertion.sign(claims(), secret: key)
        case (.privateKeyJWT, _, let key?): assertion = try await ClientAssertion.sign(claims(), privateKey: key, keyID: client.keyID)
        default: break
        }
        let applied = apply(client.auth, clientID: client.id, secret: credential.secret, assertion: assertion)
        return Parts(headers: applied.headers, fields: applied.fields, secrets: [credential.secret, credential.privateKey, assertion].compactMap { $0 })
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` per RFC 6749 §2.3.1.
    public static func basicHeader(clientID: String, secret: Secret) -> String {
        let pair = "\(FormEncoding.encode(clientID)):\(FormEncoding.encode(secret.reveal()))"
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}
