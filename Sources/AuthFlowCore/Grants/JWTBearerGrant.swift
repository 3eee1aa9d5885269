/// JWT bearer authorization grant (RFC 7523 §2.1): a signed assertion is the grant.
public enum JWTBearerGrant {
    /// The `grant_type`.
    public static let grantType = GrantType.jwtBearer.wireName

    /// The form fields.
    public static func parameters(assertion: Secret) -> GrantParameters {
        GrantParameters(fields: [("grant_type", grantType), ("assertion", assertion.reveal())], secrets: [assertion])
    }
}
