/// Resource Owner Password Credentials (RFC 6749 §4.3): the password is used for this one
/// request and never stored (RFC 6749 §4.3.1).
public enum PasswordGrant {
    /// The form fields for `username` and `password`.
    public static func parameters(username: String, password: Secret) -> GrantParameters {
        GrantParameters(fields: [("grant_type", "password"), ("username", username), ("password", password.reveal())], secrets: [password])
    }
}
