import AuthFlowCore
import Crypto
import Foundation

extension AuthorizationServer {
    /// The client that `request` authenticates as, by one of RFC 6749 §2.3's methods:
    /// `client_secret_basic`, `client_secret_post`, `none` (a public client sends only its id), or a
    /// JWT assertion (`private_key_jwt`, `client_secret_jwt`).
    func authenticateClient(_ request: EndpointRequest, form: [String: String]) async throws -> Client {
        if form["client_assertion"] != nil || form["client_assertion_type"] != nil {
            guard request.header("Authorization") == nil, form["client_secret"] == nil else {
                throw OAuthError.invalidRequest("The client used more than one authentication method: a client_assertion and a secret.")
            }
            return try await authenticateAssertion(request, form: form)
        }
        if let authorization = request.header("Authorization"), authorization.lowercased().hasPrefix("basic ") {
            guard let (id, secret) = Self.basicCredentials(String(authorization.dropFirst(6))) else {
                throw OAuthError.invalidClient("The Authorization header does not hold Basic client credentials: base64 of the form-urlencoded client id, ':', and the form-urlencoded secret (RFC 6749 §2.3.1).", basic: true)
            }
            guard form["client_secret"] == nil else {
                throw OAuthError.invalidRequest("The client used more than one authentication method: Basic and client_secret.")
            }
            if let formID = form["client_id"], formID != id {
                throw OAuthError.invalidRequest("The 'client_id' parameter does not match the Authorization header.")
            }
            return try client(id, method: .clientSecretBasic, secret: secret)
        }
        guard let id = form["client_id"] else {
            throw OAuthError.invalidClient("Client authentication failed: send Basic credentials, or client_id (and client_secret).")
        }
        if let secret = form["client_secret"] {
            return try client(id, method: .clientSecretPost, secret: secret)
        }
        return try client(id, method: .none, secret: nil)
    }

    /// The client and the `token` parameter of an introspection or revocation request.
    func authenticatedTokenRequest(_ request: EndpointRequest) async throws -> (client: Client, token: String) {
        let form = try request.form()
        let client = try await authenticateClient(request, form: form)
        guard let token = form["token"] else { throw OAuthError.invalidRequest("The 'token' parameter is required.") }
        return (client, token)
    }

    private func client(_ id: String, method: ServeConfiguration.AuthMethod, secret: String?) throws -> Client {
        let basic = method == .clientSecretBasic
        guard let client = clients[id] else {
            throw OAuthError.invalidClient("Invalid value for 'client_id' parameter.", basic: basic)
        }
        guard client.settings.authMethods.contains(method) else {
            let allowed = client.settings.authMethods.map(\.rawValue).sorted().joined(separator: ", ")
            throw OAuthError.invalidClient("Client authentication failed: this client may not use \(method.rawValue); it uses \(allowed).", basic: basic)
        }
        if method != .none {
            guard let expected = client.secret, let secret, Self.sameSecret(expected.reveal(), secret) else {
                throw OAuthError.invalidClient("The client secret supplied for a confidential client is invalid.", basic: basic)
            }
        }
        return client
    }

    /// The id and secret of a Basic credential: base64, then each half form-urldecoded (RFC 6749 §2.3.1),
    /// so `+` is a space and `%2B` a plus.
    static func basicCredentials(_ encoded: String) -> (id: String, secret: String)? {
        guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)),
              let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return nil }
        func decode(_ part: Substring) -> String? {
            part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        guard let id = decode(pair[..<colon]), !id.isEmpty, let secret = decode(pair[pair.index(after: colon)...]) else { return nil }
        return (id, secret)
    }

    /// Compares secrets in constant time: the digests are compared, never the strings.
    static func sameSecret(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }
}
