/// Refreshing an access token (RFC 6749 §6).
public enum RefreshTokenGrant {
    /// The form fields for `refreshToken`: single-use, since a server that rotates refresh tokens
    /// treats a second use as theft and revokes the whole family.
    public static func parameters(refreshToken: Secret) -> GrantParameters {
        GrantParameters(fields: [("grant_type", "refresh_token"), ("refresh_token", refreshToken.reveal())], secrets: [refreshToken],
                        singleUse: "refresh token")
    }
}
