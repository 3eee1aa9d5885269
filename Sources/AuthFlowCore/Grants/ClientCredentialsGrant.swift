/// Client Credentials (RFC 6749 §4.4): the client acts on its own behalf.
public enum ClientCredentialsGrant {
    /// The form fields.
    public static func parameters() -> GrantParameters {
        GrantParameters(fields: [("grant_type", "client_credentials")])
    }
}
