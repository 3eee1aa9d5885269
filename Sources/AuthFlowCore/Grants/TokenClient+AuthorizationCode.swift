import Foundation

extension TokenClient {
    /// How long the browser sign-in may take.
    static let signInTimeout: Duration = .seconds(300)

    /// The page the browser shows once it is back on the loopback listener.
    static let signedInPage = """
        <!doctype html><html><head><meta charset="utf-8"><title>authflow</title></head>
        <body><h1>authflow</h1><p>The sign-in response was received. You can close this tab and return to the terminal.</p></body></html>

        """

    /// Browser sign-in (RFC 8252): listen on 127.0.0.1, open the authorization URL with a PKCE
    /// challenge and a one-time state, wait for the redirect, check it, close the listener and
    /// exchange the code.
    func authorizationCodeToken(for profile: Profile, endpoints: Endpoints, port: Int?) async throws -> TokenSet {
        guard let endpoint = endpoints.authorization else {
            throw AuthFlowError(.protocolError, "the authorization server of profile '\(profile.name)' names no authorization endpoint",
                                hint: "use domain (Okta: .../v1/authorize) or an issuer whose discovery document has authorization_endpoint")
        }
        let listener = try await LoopbackListener.start(port: port ?? 0, page: Self.signedInPage)
        let attempt = AuthorizationCodeGrant.Attempt(redirectURI: AuthorizationCodeGrant.redirectURI(port: listener.port))
        var extra: [(name: String, value: String)] = []
        if let audience = profile.request.audience { extra.append(("audience", audience)) }
        extra += profile.request.resources.map { ("resource", $0) }
        let query: String
        do {
            guard let url = AuthorizationCodeGrant.authorizationURL(endpoint, clientID: profile.client.id, attempt: attempt, scopes: profile.request.scopes, extra: extra) else {
                throw AuthFlowError(.internalError, "cannot build the authorization URL from \(endpoint.absoluteString)")
            }
            let host = url.host ?? ""
            interaction.show("Sign in at \(interaction.emphasis(host)) in your browser:\n\(url.absoluteString)\nWaiting for the browser to come back to \(attempt.redirectURI) ...\n")
            if interaction.browser != false { interaction.openBrowser(url) }
            query = try await listener.callbackQuery(timeout: Self.signInTimeout)
            await listener.close()
        } catch {
            await listener.close()
            throw error
        }
        let code = try AuthorizationCodeGrant.code(fromCallbackQuery: query, attempt: attempt, issuer: endpoints.issuer)
        return try await send(grant: AuthorizationCodeGrant.parameters(code: code, attempt: attempt), profile: profile, to: endpoints.token, extras: false)
    }
}
