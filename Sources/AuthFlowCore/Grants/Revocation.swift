import Foundation

/// Token revocation (RFC 7009): the request for one token, pure like the grants.
public enum Revocation {
    /// Which token is revoked: the `token_type_hint` sent with it.
    public enum Hint: String, Sendable {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
    }

    /// The form fields revoking `token`.
    public static func parameters(token: Secret, hint: Hint) -> GrantParameters {
        GrantParameters(fields: [("token", token.reveal()), ("token_type_hint", hint.rawValue)], secrets: [token])
    }
}
