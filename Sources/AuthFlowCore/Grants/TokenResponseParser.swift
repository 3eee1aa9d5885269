public import Foundation

/// Reads a token endpoint's answer per RFC 6749 §5.1/§5.2 and docs/reference/output.md: a token, an OAuth
/// error (exit 77), an unavailable server (69) or a protocol error (76). Server text is shown
/// with control characters stripped, length capped, and every secret of the request scrubbed.
public enum TokenResponseParser {
    /// What a token request that may need a second factor ended with.
    public enum Outcome: Sendable {
        /// Tokens.
        case token(TokenSet)
        /// Okta Direct Authentication: `403 mfa_required` with the `mfa_token` that continues the sign-in.
        case mfaRequired(mfaToken: Secret)
    }

    /// Parses `response` like `parse`, but a `mfa_required` error carrying an `mfa_token` is an
    /// outcome rather than a refusal.
    public static func outcome(_ response: TransportResponse, from url: URL, secrets: [Secret], now: Date) throws -> Outcome {
        if (400..<500).contains(response.status), let json = JSONValue.parse(response.body)?.object,
           json["error"]?.string == "mfa_required", let token = json["mfa_token"]?.string, !token.isEmpty, token.utf8.count <= Secret.maximumBytes {
            return .mfaRequired(mfaToken: Secret(token))
        }
        return .token(try parse(response, from: url, secrets: secrets, now: now))
    }

    /// Parses `response` to the request sent to `url` carrying `secrets`.
    public static func parse(_ response: TransportResponse, from url: URL, secrets: [Secret], now: Date) throws -> TokenSet {
        let secrets = secrets + response.renewedSecrets
        let endpoint = url.absoluteString
        let json = JSONValue.parse(response.body)?.object
        switch response.status {
        case 200..<300:
            guard let json else {
                throw AuthFlowError(.protocolError, "the token endpoint answered \(response.status) but the body is not a JSON object: \(excerpt(response.body, secrets))",
                                    hint: "check that \(endpoint) is a token endpoint")
            }
            return try tokenSet(json, endpoint: endpoint, secrets: secrets, now: now)
        case 300..<400:
            throw AuthFlowError(.protocolError, "the token endpoint answered \(response.status) redirecting to \(clean(response.header("Location") ?? "nowhere", secrets)); token requests are not redirected",
                                hint: "point the profile at the final token endpoint URL")
        case 429, 500...:
            throw AuthFlowError(.unavailable, "the token endpoint answered \(serverSaid(response, secrets))",
                                hint: response.status == 429 ? "the server is rate limiting; wait and try again" : "the authorization server has a problem; try again later")
        default:
            if let json, let code = json["error"]?.string {
                let description = json["error_description"]?.string.map { ": " + clean($0, secrets) } ?? ""
                throw AuthFlowError(.refused, "the authorization server refused the request: \(clean(code, secrets))\(description)", hint: hint(forError: code))
            }
            if response.status == 401 {
                throw AuthFlowError(.refused, "the token endpoint answered 401 Unauthorized\(response.body.isEmpty ? "" : ": \(excerpt(response.body, secrets))")",
                                    hint: "check client.id, client.secret and client.auth")
            }
            throw AuthFlowError(.protocolError, "the token endpoint answered \(response.status), not an OAuth error: \(excerpt(response.body, secrets))",
                                hint: response.status == 404 ? "check domain and auth_server (an unknown authorization server answers 404)" : "check the profile's token endpoint")
        }
    }

    /// The JSON object a non-token endpoint (device authorization, Okta's challenge) answered
    /// with: an error answer is reported as the token endpoint's would be, anything else not an
    /// object is a protocol error naming `endpoint`, with `hint`.
    static func object(_ response: TransportResponse, from url: URL, secrets: [Secret], endpoint: String, hint: String) throws -> [String: JSONValue] {
        guard (200..<300).contains(response.status) else {
            _ = try parse(response, from: url, secrets: secrets, now: Date())
            throw AuthFlowError(.protocolError, "the \(endpoint) endpoint answered \(response.status)", hint: "check the profile's authorization server")
        }
        guard let json = JSONValue.parse(response.body)?.object else {
            throw AuthFlowError(.protocolError, "the \(endpoint) endpoint \(url.absoluteString) did not answer with a JSON object", hint: hint)
        }
        return json
    }

    private static func tokenSet(_ json: [String: JSONValue], endpoint: String, secrets: [Secret], now: Date) throws -> TokenSet {
        guard let access = json["access_token"]?.string, !access.isEmpty else {
            throw AuthFlowError(.protocolError, "the token response from \(endpoint) has no access_token", hint: "the server is not answering as RFC 6749 §5.1 requires")
        }
        guard let type = json["token_type"]?.string else {
            throw AuthFlowError(.protocolError, "the token response from \(endpoint) has no token_type", hint: "the server is not answering as RFC 6749 §5.1 requires")
        }
        guard type.caseInsensitiveCompare("Bearer") == .orderedSame else {
            throw AuthFlowError(.protocolError, "the token response has token_type '\(clean(type, secrets, limit: 40))'; authflow handles Bearer tokens only",
                                hint: "the server issued a token type authflow cannot present")
        }
        return TokenSet(accessToken: access, tokenType: type, expiresAt: expiry(json["expires_in"], token: access, now: now), scope: json["scope"]?.string,
                        idToken: json["id_token"]?.string, refreshToken: json["refresh_token"]?.string, response: withoutEchoes(json, secrets))
    }

    /// The longest an access token is believed to live, whatever the server says: a day (Okta's
    /// own maximum). A longer-lived token is simply fetched again after a day.
    public static let maximumLifetime: TimeInterval = 24 * 3600

    /// When the token expires: `expires_in` (a number, or a numeric string), never later than the
    /// token's own `exp` when it is a JWT, and never more than `maximumLifetime` from now — a
    /// server's `"1e9"` must not keep a token in the cache for a century. Without `expires_in`,
    /// the JWT's `exp` within the same cap; nil when neither says.
    static func expiry(_ expiresIn: JSONValue?, token: String, now: Date) -> Date? {
        let stated = expiresIn?.number ?? expiresIn?.string.flatMap(Double.init)
        let claimed = JWTParts(token)?.expiresAt
        if let stated, stated >= 0, stated.isFinite {
            let fromServer = now.addingTimeInterval(min(stated.rounded(.down), maximumLifetime))
            return claimed.map { min($0, fromServer) } ?? fromServer
        }
        return claimed.map { min($0, now.addingTimeInterval(maximumLifetime)) }
    }

    /// The response without the members authflow does not model that echo a secret of the
    /// request: `--format json` and the cache keep unknown members, and must not keep those.
    static func withoutEchoes(_ json: [String: JSONValue], _ secrets: [Secret]) -> [String: JSONValue] {
        let modelled: Set<String> = ["access_token", "token_type", "expires_in", "scope", "id_token", "refresh_token"]
        // The forms are worked out once for the whole response, not once per member.
        let forms = Secret.echoForms(of: secrets)
        return json.filter { modelled.contains($0.key) || !echoes($0.key, forms) && !echoes($0.value, forms) }
    }

    private static func echoes(_ value: JSONValue, _ forms: [String]) -> Bool {
        switch value {
        case .string(let text): echoes(text, forms)
        case .array(let items): items.contains { echoes($0, forms) }
        case .object(let members): members.contains { echoes($0.key, forms) || echoes($0.value, forms) }
        case .number, .bool, .null: false
        }
    }

    private static func echoes(_ text: String, _ forms: [String]) -> Bool {
        forms.contains { text.containsScalars($0) }
    }

    /// The first line of a body, safe to show.
    /// What a server said with a failing status, for the final error: `429 (Retry-After: 120)
    /// after 3 attempts: {"errorCode":...}` — its status, its `Retry-After`, how often it was asked,
    /// and the first line of its body, cleaned of secrets and control characters.
    static func serverSaid(_ response: TransportResponse, _ secrets: [Secret]) -> String {
        let retryAfter = response.header("Retry-After").map { " (Retry-After: \(clean($0, secrets, limit: 40)))" } ?? ""
        let attempts = response.attempts > 1 ? " after \(response.attempts) attempts" : ""
        return "\(response.status)\(retryAfter)\(attempts): \(excerpt(response.body, secrets))"
    }

    static func excerpt(_ body: Data, _ secrets: [Secret]) -> String {
        guard !body.isEmpty else { return "(empty body)" }
        let text = String(decoding: body.prefix(2000), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map(String.init) ?? ""
        return clean(line, secrets, limit: 200)
    }

    /// Server text with secrets scrubbed and control characters removed.
    ///
    /// Cleaned first, scrubbed second, on Unicode scalars: a server that splits a secret with
    /// control or format characters (`hun\u{0}ter2`), or follows it with a combining mark, must not
    /// get it past the scrubbing once those characters are removed or merged.
    static func clean(_ text: String, _ secrets: [Secret], limit: Int = 300) -> String {
        let scrubbed = Secret.scrub(text.sanitizedForTerminal(limit: Int.max), secrets) { $0.sanitizedForTerminal(limit: Int.max) }
        return scrubbed.sanitizedForTerminal(limit: limit)
    }

    static func hint(forError code: String) -> String {
        switch code {
        case "invalid_client": "check client.id, client.auth and the credential it uses (client.secret, client.private_key, or tls.client_cert for tls_client_auth)"
        case "invalid_grant": "check the credentials of the grant (username and password, or the refresh token)"
        case "invalid_scope": "check scopes: the authorization server does not grant one of them to this client"
        case "unauthorized_client": "the client may not use this grant; allow it in the app's settings at the server"
        case "unsupported_grant_type": "the server does not support this grant for this client"
        case "access_denied": "the user or a policy refused; check the authorization server's access policies"
        case "mfa_required": "the sign-on policy asks for a second factor; set grant.mfa (factor: otp, push, sms, voice or email) in the profile"
        default: "see the error description from the server"
        }
    }
}
