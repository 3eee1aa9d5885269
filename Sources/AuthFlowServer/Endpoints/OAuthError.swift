import AuthFlowCore

/// An RFC 6749 §5.2 error in Okta's JSON shape: `{"error": ..., "error_description": ...}`.
struct OAuthError: Error, Sendable {
    var status: Int
    var code: String
    var description: String
    var headers: [(name: String, value: String)] = []
    /// More members of the body (`mfa_token` of `mfa_required`).
    var extra: [String: JSONValue] = [:]

    static func invalidRequest(_ description: String) -> OAuthError { OAuthError(status: 400, code: "invalid_request", description: description) }
    static func invalidGrant(_ description: String) -> OAuthError { OAuthError(status: 400, code: "invalid_grant", description: description) }
    static func invalidScope(_ description: String) -> OAuthError { OAuthError(status: 400, code: "invalid_scope", description: description) }
    static func unauthorizedClient(_ description: String) -> OAuthError { OAuthError(status: 400, code: "unauthorized_client", description: description) }
    static func unsupportedGrantType(_ description: String) -> OAuthError { OAuthError(status: 400, code: "unsupported_grant_type", description: description) }

    /// 401 `invalid_client`; a client that tried Basic gets the challenge RFC 6749 §5.2 asks for.
    static func invalidClient(_ description: String, basic: Bool = false) -> OAuthError {
        OAuthError(status: 401, code: "invalid_client", description: description,
                   headers: basic ? [("WWW-Authenticate", #"Basic realm="authflow""#)] : [])
    }

    /// An RFC 6750 §3.1 bearer token error: 401 `invalid_token`, or 403 `insufficient_scope`.
    static func bearer(_ code: String, _ description: String) -> OAuthError {
        OAuthError(status: code == "insufficient_scope" ? 403 : 401, code: code, description: description,
                   headers: [("WWW-Authenticate", #"Bearer error="\#(code)", error_description="\#(description)""#)])
    }

    var response: EndpointResponse {
        .json(.object(extra.merging(["error": .string(code), "error_description": .string(description)]) { _, own in own }),
              status: status, noStore: true, headers: headers, error: code)
    }
}
