import AuthFlowCore
import Crypto
import Foundation

extension AuthorizationServer {
    /// `GET|POST .../v1/authorize`: the authorization code flow with PKCE S256 (required). GET shows
    /// a login form; its POST checks the user and redirects with `code`, `state` and `iss` (RFC 9207).
    /// A bad client or redirect URI is shown as a page, never redirected (RFC 6749 §4.1.2.1).
    func authorize(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        var params: [String: String] = [:]
        for (name, value) in FormEncoding.decode(request.method == "GET" ? request.query : request.body) where params[name] == nil && !value.isEmpty {
            params[name] = value
        }
        guard let clientID = params["client_id"], let client = clients[clientID] else {
            return .html("Sign-in error", "<p>The client_id is missing or unknown.</p>", status: 400)
        }
        guard let redirect = params["redirect_uri"], Self.redirectAllowed(redirect, registered: client.settings.redirectURIs) else {
            return .html("Sign-in error", "<p>The redirect_uri is missing or not registered for this client.</p>", status: 400)
        }
        let state = params["state"]
        func fail(_ code: String, _ description: String) -> EndpointResponse {
            Self.redirect(to: redirect, ["error": code, "error_description": description, "state": state, "iss": issuer.url])
        }
        guard params["response_type"] == "code" else { return fail("unsupported_response_type", "The response type is not supported; use 'code'.") }
        guard client.settings.grantTypes.contains(.authorizationCode) else {
            return fail("unauthorized_client", "The client is not authorized to use the authorization code grant.")
        }
        guard let challenge = params["code_challenge"], params["code_challenge_method"] == "S256", challenge.count >= 43 else {
            return fail("invalid_request", "PKCE is required: code_challenge with code_challenge_method S256.")
        }
        let scopes: [String]
        do {
            scopes = try requestedScopes(params, at: issuer)
            try checkOfflineAccess(scopes, client: client)
        } catch let error as OAuthError {
            return fail(error.code, error.description)
        }
        guard request.method == "POST" else { return Self.loginPage(params) }
        guard let username = params["username"], let user = users[username], Self.sameSecret(user.password.reveal(), params["password"] ?? "") else {
            return Self.loginPage(params, message: "Sign-in failed: wrong username or password.", status: 401)
        }
        let now = Self.now()
        let code = await codes.issue(AuthorizationCodeStore.Grant(serverID: issuer.id, clientID: clientID, username: user.settings.username, redirectURI: redirect,
                                                                  challenge: challenge, scopes: scopes, authTime: now, expiresAt: now + 60))
        return Self.redirect(to: redirect, ["code": code, "state": state, "iss": issuer.url])
    }

    /// The token request of the authorization code grant: the code once, the same client and
    /// redirect URI, and a verifier whose S256 is the challenge (RFC 7636 §4.6).
    func authorizationCodeGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let code = form["code"], let redirect = form["redirect_uri"] else {
            throw OAuthError.invalidRequest("The 'code' and 'redirect_uri' parameters are required.")
        }
        guard let verifier = form["code_verifier"] else { throw OAuthError.invalidRequest("PKCE verification failed: 'code_verifier' is required.") }
        guard let grant = await codes.redeem(code, now: Self.now()), grant.clientID == client.settings.id, grant.serverID == issuer.id,
              let user = users[grant.username] else {
            throw OAuthError.invalidGrant("The authorization code is invalid or has expired.")
        }
        guard grant.redirectURI == redirect else { throw OAuthError.invalidGrant("The 'redirect_uri' does not match the redirection URI used in the authorization request.") }
        let computed = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
        guard Self.sameSecret(computed, grant.challenge) else { throw OAuthError.invalidGrant("PKCE verification failed.") }
        return Authorization(client: client, user: user, scopes: grant.scopes, authTime: grant.authTime)
    }

    /// Exact match, except that a loopback IP redirect may use any port (RFC 8252 §7.3).
    static func redirectAllowed(_ redirect: String, registered: [String]) -> Bool {
        guard let asked = URLComponents(string: redirect) else { return false }
        return registered.contains { entry in
            if entry == redirect { return true }
            guard let allowed = URLComponents(string: entry), allowed.scheme == "http", asked.scheme == "http",
                  let host = allowed.host, ["127.0.0.1", "[::1]", "::1"].contains(host), asked.host == host else { return false }
            return allowed.path == asked.path && allowed.query == asked.query
        }
    }

    static func redirect(to uri: String, _ parameters: [String: String?]) -> EndpointResponse {
        let query = parameters.compactMap { name, value in value.map { (name: name, value: $0) } }.sorted { $0.name < $1.name }
        let location = uri + (uri.contains("?") ? "&" : "?") + FormEncoding.body(query)
        return EndpointResponse(status: 302, headers: [("Location", location), ("Cache-Control", "no-store")], body: "")
    }

    /// The login form; the authorization request rides along in hidden fields.
    static func loginPage(_ params: [String: String], message: String = "", status: Int = 200) -> EndpointResponse {
        let keep = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "nonce", "audience", "resource"]
        let hidden = keep.compactMap { key in params[key].map { #"<input type="hidden" name="\#(key)" value="\#($0.htmlEscaped)">"# } }.joined(separator: "\n")
        return .html("Sign in", """
            <p>\(message.htmlEscaped)</p>
            <form method="post">
            \(hidden)
            <label>Username <input name="username" autocomplete="username"></label>
            <label>Password <input name="password" type="password" autocomplete="current-password"></label>
            <button>Sign in</button>
            </form>
            """, status: status)
    }
}
