/// The profile file format of SPEC §1, as data.
public enum ProfileSchema {
    /// Grant types a profile may name; `GrantType.supported` says which this build can run.
    public static let grantTypes = ["password", "client_credentials", "refresh_token", "device_code", "authorization_code", "token_exchange", "jwt_bearer"]
    /// Client authentication methods a profile may name.
    public static let clientAuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none"]

    /// The `client` mapping.
    public static let client: [SchemaField] = [
        SchemaField("id", .string, "The OAuth client id (Okta: the app's Client ID)."),
        SchemaField("secret", .secret, "The client secret, as a secret reference; absent for a public client."),
        SchemaField("auth", .oneOf(clientAuthMethods), "How the client authenticates at the token endpoint."),
        SchemaField("private_key", .secret, "private_key_jwt: a secret reference to a PEM or JWK private key."),
        SchemaField("key_id", .string, "private_key_jwt: the key's `kid`."),
    ]

    /// The `grant` mapping.
    public static let grant: [SchemaField] = [
        SchemaField("type", .oneOf(grantTypes), "The OAuth grant."),
        SchemaField("username", .textOrSecret, "password grant: the user name, plain or a secret reference."),
        SchemaField("password", .secret, "password grant: the user's password, as a secret reference."),
        SchemaField("refresh_token", .secret, "refresh_token grant: a refresh token obtained elsewhere, as a secret reference."),
        SchemaField("redirect_port", .integer(1...65535), "authorization_code: a fixed loopback port for the redirect."),
        SchemaField("subject_token", .secret, "token_exchange: the subject token, as a secret reference."),
        SchemaField("subject_token_type", .string, "token_exchange: the subject token's type URI."),
        SchemaField("actor_token", .secret, "token_exchange: the actor token, as a secret reference."),
        SchemaField("actor_token_type", .string, "token_exchange: the actor token's type URI."),
        SchemaField("assertion", .secret, "jwt_bearer: a ready assertion, as a secret reference."),
    ]

    /// The keys a profile (and `defaults`) may hold.
    public static let profile: [SchemaField] = [
        SchemaField("extends", .string, "Inherit the settings of another profile."),
        SchemaField("domain", .string, "Okta domain (`example.okta.com`, or a URL such as `http://127.0.0.1:8080`)."),
        SchemaField("auth_server", .string, "Okta authorization server: `org` (default), `default`, or a custom server id."),
        SchemaField("issuer", .string, "Any OIDC issuer; endpoints come from its discovery document."),
        SchemaField("token_url", .string, "An explicit token endpoint."),
        SchemaField("client", .object(client), "The OAuth client."),
        SchemaField("grant", .shorthand(names: grantTypes, object: grant), "The grant: a type name, or a mapping with `type` and its settings."),
        SchemaField("scopes", .words, "Scopes to ask for: a list, or one space-separated string."),
        SchemaField("audience", .string, "An `audience` parameter for the token request."),
        SchemaField("resource", .stringOrList, "RFC 8707 resource indicator(s)."),
        SchemaField("params", .stringMap, "Extra form parameters for the token request."),
        SchemaField("output", .object([SchemaField("prefix", .string, "Prefix of exported variable names (default `AUTHFLOW_`).")]), "Output settings."),
        SchemaField("timeout", .duration, "Per-request timeout (default `10s`)."),
        SchemaField("retries", .integer(0...10), "Retries after connection failures, 5xx and 429 (default 2)."),
        SchemaField("refresh_skew", .duration, "A cached token is used while more than this is left of its life (default `60s`)."),
        SchemaField("tls", .object([SchemaField("ca_file", .string, "An extra CA bundle (PEM) for this profile.")]), "TLS settings."),
    ]

    /// The top level of the file.
    public static let file: [SchemaField] = [
        SchemaField("version", .integer(1...1), "The file format version; must be 1.", required: true),
        SchemaField("defaults", .object(profile.filter { $0.name != "extends" }), "Settings merged under every profile."),
        SchemaField("profiles", .namedMap(.object(profile)), "The profiles, by name.", required: true),
    ]
}
