import Crypto
public import Foundation

/// Authorization code with PKCE (RFC 6749 §4.1, RFC 7636 S256) for a native app with a loopback
/// redirect (RFC 8252 §7.3), checking `iss` in the response (RFC 9207). Pure: the listener and the
/// browser live elsewhere.
public enum AuthorizationCodeGrant {
    /// One login attempt: the values that must match when the browser comes back.
    public struct Attempt: Sendable {
        /// The PKCE code verifier (RFC 7636 §4.1); a credential, never shown.
        public var verifier: Secret
        /// One-time `state`.
        public var state: String
        /// `http://127.0.0.1:PORT/callback`.
        public var redirectURI: String

        /// A new attempt for `redirectURI` with a fresh verifier and state.
        public init(redirectURI: String) {
            verifier = Secret(AuthorizationCodeGrant.randomToken(bytes: 32))
            state = AuthorizationCodeGrant.randomToken(bytes: 16)
            self.redirectURI = redirectURI
        }

        /// An attempt with given values (tests).
        public init(verifier: Secret, state: String, redirectURI: String) {
            self.verifier = verifier
            self.state = state
            self.redirectURI = redirectURI
        }
    }

    /// The loopback redirect URI for `port` (RFC 8252 §7.3: the IP literal, not `localhost`).
    public static func redirectURI(port: Int) -> String { "http://127.0.0.1:\(port)/callback" }

    /// The S256 code challenge: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
    public static func challenge(for verifier: Secret) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.reveal().utf8))))
    }

    /// The authorization request URL the browser opens.
    public static func authorizationURL(_ endpoint: URL, clientID: String, attempt: Attempt, scopes: [String], extra: [(name: String, value: String)] = []) -> URL? {
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else { return nil }
        var items = components.queryItems ?? []
        items += [URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: clientID),
                  URLQueryItem(name: "redirect_uri", value: attempt.redirectURI)]
        if !scopes.isEmpty { items.append(URLQueryItem(name: "scope", value: scopes.joined(separator: " "))) }
        items += [URLQueryItem(name: "state", value: attempt.state), URLQueryItem(name: "code_challenge", value: challenge(for: attempt.verifier)),
                  URLQueryItem(name: "code_challenge_method", value: "S256")]
        items += extra.map { URLQueryItem(name: $0.name, value: $0.value) }
        components.queryItems = items
        // URLComponents leaves '+' alone in queries; servers form-decode it as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url
    }

    /// The code from the redirect's query, after checking `state`, `iss` and the error parameters.
    /// A wrong `state` or `iss`, or no `code`, is a protocol error (76); an OAuth error is a refusal (77).
    public static func code(fromCallbackQuery query: String, attempt: Attempt, issuer: URL?) throws -> Secret {
        var parameters: [String: String] = [:]
        for (name, value) in FormEncoding.decode(query) where parameters[name] == nil { parameters[name] = value }
        guard let state = parameters["state"], constantTimeEqual(state, attempt.state) else {
            throw AuthFlowError(.protocolError, "the authorization response's state does not match the request (possible CSRF or a stale browser tab)",
                                hint: "run the command again and finish the sign-in in the browser tab it opens")
        }
        if let iss = parameters["iss"] {
            guard let issuer, URL(string: iss)?.trailingSlashRemoved == issuer.trailingSlashRemoved else {
                throw AuthFlowError(.protocolError, "the authorization response comes from issuer '\(iss.sanitizedForTerminal(limit: 100))', not \(issuer?.absoluteString ?? "the profile's issuer") (RFC 9207)",
                                    hint: "a mix-up attack or a misconfigured server; check the profile's domain and auth_server")
            }
        }
        if let error = parameters["error"] {
            let description = parameters["error_description"].map { ": " + $0.sanitizedForTerminal(limit: 300) } ?? ""
            throw AuthFlowError(.refused, "the authorization server refused the sign-in: \(error.sanitizedForTerminal(limit: 60))\(description)",
                                hint: TokenResponseParser.hint(forError: error))
        }
        guard let code = parameters["code"], !code.isEmpty else {
            throw AuthFlowError(.protocolError, "the authorization response has no code", hint: "the server redirected back without a code or an error; try again")
        }
        return Secret(code)
    }

    /// The token request exchanging `code` (RFC 6749 §4.1.3, RFC 7636 §4.5).
    public static func parameters(code: Secret, attempt: Attempt) -> GrantParameters {
        GrantParameters(fields: [("grant_type", "authorization_code"), ("code", code.reveal()), ("redirect_uri", attempt.redirectURI),
                                 ("code_verifier", attempt.verifier.reveal())], secrets: [code, attempt.verifier],
                        singleUse: "authorization code")
    }

    static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
