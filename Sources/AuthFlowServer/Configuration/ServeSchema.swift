public import AuthFlowCore

/// The format of `authflow serve`'s YAML file, as data: the loader validates with it and
/// `schemas/serve.schema.json` can be generated from it.
public enum ServeSchema {
    /// Grant type names a client may list.
    public static let grantTypes = ServeConfiguration.GrantType.allCases.map(\.rawValue)
    /// Client authentication method names a client may list.
    public static let authMethods = ServeConfiguration.authMethods.map(\.rawValue)

    /// One entry of `users`, keyed by username.
    public static let user: [SchemaField] = [
        SchemaField("password", .secret, "The user's password, as a secret reference (literal:VALUE for a demo).", required: true),
        SchemaField("id", .string, "Okta-style user id (`uid` claim, ID token `sub`); derived from the username when absent."),
        SchemaField("claims", .namedMap(.stringOrList), "Profile claims for ID tokens and userinfo: name, email, groups, ..."),
        SchemaField("mfa", .object(mfa), "Enrolled factors (Okta Direct Authentication): the password grant then answers 403 mfa_required, and the okta_otp and okta_oob grants sign in with them without a password."),
    ]

    /// A user's second factors.
    public static let mfa: [SchemaField] = [
        SchemaField("totp", .secret, "The base32 TOTP secret of an authenticator app (RFC 6238: SHA-1, 30 s, 6 digits), as a secret reference."),
        SchemaField("push", .object([
            SchemaField("approve_after", .integer(1...100), "Approve by itself after this many polls; absent: only POST /__authflow/mfa/approve decides."),
            SchemaField("binding", .oneOf(["none", "transfer"]), "`transfer`: a number challenge, the user taps the number shown (Okta's binding_method); default `none`."),
        ]), "Okta Verify push."),
        SchemaField("codes", .words, "Channels that send a code the user types: sms, voice, email (read back with GET /__authflow/mfa/challenge?username=NAME)."),
    ]

    /// One entry of `clients`, keyed by client id.
    public static let client: [SchemaField] = [
        SchemaField("secret", .secret, "The client secret, as a secret reference; absent for a public client."),
        SchemaField("grant_types", .words, "Grants the client may use: \(grantTypes.joined(separator: ", ")).", required: true),
        SchemaField("auth_methods", .words, "How the client authenticates: \(authMethods.joined(separator: ", ")); default: basic and post with a secret, private_key_jwt with public_keys, none without either."),
        SchemaField("redirect_uris", .stringOrList, "Redirect URIs registered for the client."),
        SchemaField("public_keys", .stringOrList, "private_key_jwt: files (relative to this file) holding the client's public keys: PEM, JWK or JWKS."),
    ]

    /// Token lifetimes of an authorization server.
    public static let lifetimes: [SchemaField] = [
        SchemaField("access_token", .duration, "Access token lifetime (default 1h)."),
        SchemaField("id_token", .duration, "ID token lifetime (default 1h)."),
        SchemaField("refresh_token", .duration, "Refresh token lifetime (default 720h, 30 days)."),
    ]

    /// Device authorization settings of an authorization server.
    public static let device: [SchemaField] = [
        SchemaField("interval", .duration, "Seconds between polls a client must keep (default 5s)."),
        SchemaField("lifetime", .duration, "How long a device code lives (default 10m)."),
    ]

    /// Direct Authentication settings of an authorization server.
    public static let mfaServer: [SchemaField] = [
        SchemaField("token_lifetime", .duration, "How long an mfa_token, or a passwordless out-of-band sign-in, lives (default 5m)."),
        SchemaField("interval", .duration, "Seconds between out-of-band polls a client must keep (default 5s)."),
    ]

    /// One entry of `authorization_servers`, keyed by id (`org`, `default`, ...).
    public static let authServer: [SchemaField] = [
        SchemaField("audience", .string, "The access tokens' `aud`; default: the issuer for org, api://ID for a custom server."),
        SchemaField("scopes", .words, "Scopes clients may ask for: a list, or one space-separated string.", required: true),
        SchemaField("default_scopes", .words, "Scopes granted when a request names none (Okta's default scopes); each must be in `scopes`."),
        SchemaField("lifetimes", .object(lifetimes), "Token lifetimes."),
        SchemaField("device", .object(device), "Device authorization (RFC 8628): polling interval and code lifetime."),
        SchemaField("mfa", .object(mfaServer), "Direct Authentication (MFA for the password grant, and the passwordless okta_otp and okta_oob grants): lifetime and polling interval."),
    ]

    /// The top level of the file.
    public static let file: [SchemaField] = [
        SchemaField("version", .integer(1...1), "The file format version; must be 1.", required: true),
        SchemaField("users", .namedMap(.object(user)), "Users who can sign in, by username.", required: true),
        SchemaField("clients", .namedMap(.object(client)), "OAuth clients, by client id.", required: true),
        SchemaField("authorization_servers", .namedMap(.object(authServer)), "Authorization servers: org and custom ones such as default.", required: true),
        SchemaField("signing_key", .secret, "A PEM RSA private key, as a secret reference; absent: a new 2048-bit key at every start."),
    ]
}
