/// The profile file format, as data; docs/reference/profile.md is generated from it.
public enum ProfileSchema {
    /// Grant types a profile may name; `GrantType.supported` says which this build can run.
    public static let grantTypes = GrantType.allCases.map(\.profileName)
    /// Client authentication methods a profile may name.
    public static let clientAuthMethods = ClientAuthMethod.allCases.map(\.name)
    /// What a profile name looks like; a leading `.` marks a template.
    public static let profileNamePattern = "^\\.?[A-Za-z0-9][A-Za-z0-9._-]*$"

    /// The forms of a secret reference, for editors' hover text.
    static let secretForms = """
        A secret *reference*, never the secret itself: `env:NAME`, `file:PATH` (relative to this file; `~` expands), \
        `keyring:SERVICE/ACCOUNT` (the OS keychain: Secret Service or macOS Keychain), `prompt` (asked on the terminal), `literal:VALUE` (tests and local demos only), or `{command: [program, arg...]}` \
        (run without a shell, stdout trimmed).
        """

    /// The `client` mapping.
    public static let client: [SchemaField] = [
        SchemaField("id", .string, "The OAuth client id (Okta: the app's Client ID).", examples: [.string("0oab8olIgVNOkztHm0h7")]),
        SchemaField("secret", .secret, "The client secret, as a secret reference; absent for a public client.",
                    documentation: "The client secret; absent for a public client.\n\n" + secretForms,
                    examples: [.string("env:OKTA_CLIENT_SECRET"), .string("file:~/.config/authflow/client-secret"), .object(["command": .array([.string("pass"), .string("show"), .string("okta/client-secret")])])]),
        SchemaField("auth", .oneOf(clientAuthMethods), "How the client authenticates at the token endpoint.",
                    documentation: """
                        How the client authenticates at the token endpoint: `client_secret_basic` (the default with a secret; \
                        RFC 6749 §2.3.1), `client_secret_post`, `private_key_jwt` (the default with a `private_key`), `client_secret_jwt`, \
                        `tls_client_auth` (RFC 8705: the TLS client certificate `tls.client_cert`; the default with one and no secret or key), \
                        or `none` (the default without any of these).
                        """),
        SchemaField("private_key", .secret, "private_key_jwt: a secret reference to a PEM or JWK private key.",
                    documentation: "`private_key_jwt`: the PEM or JWK private key (RS256 or ES256).\n\n" + secretForms, examples: [.string("file:~/.config/authflow/client-key.pem")]),
        SchemaField("key_id", .string, "private_key_jwt: the key's `kid`."),
    ]

    /// `grant.mfa`: the second factor of the password grant (Okta Direct Authentication).
    public static let mfa: [SchemaField] = [
        SchemaField("factor", .oneOf(MFAFactor.names), "The second factor: otp, push, sms, voice or email.",
                    documentation: """
                        The second factor used when the token endpoint answers `403 mfa_required`: `otp` (a code from an \
                        authenticator app), `push` (Okta Verify; a number challenge is shown on stderr), or `sms`, `voice`, \
                        `email` (a code sent to the user). Without `grant.mfa`, authflow asks which factor on the terminal, \
                        and fails (exit 77) where there is none.
                        """),
        SchemaField("otp", .secret, "factor otp: the one-time passcode, as a secret reference (default `prompt`).",
                    documentation: "`factor: otp`: the one-time passcode (default `prompt`); a `command:` reference can run a TOTP tool.\n\n" + secretForms,
                    examples: [.string("prompt"), .object(["command": .array([.string("oathtool"), .string("--totp"), .string("-b"), .string("JBSWY3DPEHPK3PXP")])])],
                    defaultValue: .string("prompt")),
        SchemaField("code", .secret, "factor sms, voice or email: the code sent to the user, as a secret reference (default `prompt`).",
                    documentation: "`factor: sms`, `voice` or `email`: the code the user received (default `prompt`).\n\n" + secretForms,
                    examples: [.string("prompt")], defaultValue: .string("prompt")),
    ]

    /// The `grant` mapping.
    public static let grant: [SchemaField] = [
        SchemaField("type", .oneOf(grantTypes), "The OAuth grant.",
                    documentation: """
                        The OAuth grant. `password` and `refresh_token` need their keys below; RFC 9700 advises against `password`. \
                        `okta_otp` and `okta_oob` are Okta's passwordless Direct Authentication grants (Okta's OTP and OOB): \
                        `username` with `otp`, or with `channel` (and `code`).
                        """),
        SchemaField("username", .textOrSecret, "password, okta_otp and okta_oob grants: the user name, plain or a secret reference.", examples: [.string("testuser1@example.com"), .string("env:OKTA_USERNAME")]),
        SchemaField("password", .secret, "password grant: the user's password, as a secret reference.",
                    documentation: "`password` grant: the user's password; used once and never cached.\n\n" + secretForms, examples: [.string("prompt"), .string("env:OKTA_PASSWORD")]),
        SchemaField("mfa", .object(mfa), "password grant: the second factor when the server asks for one (Okta Direct Authentication).",
                    documentation: """
                        `password` grant: the second factor for an Okta org whose sign-on policy asks for one (the token endpoint \
                        answers `403 mfa_required`). The mfa_token, passcodes and codes are secrets: never shown, never cached.
                        """,
                    examples: [.object(["factor": .string("push")]), .object(["factor": .string("otp"), "otp": .string("prompt")])]),
        SchemaField("otp", .secret, "okta_otp: the one-time passcode, as a secret reference (default `prompt`).",
                    documentation: """
                        `okta_otp` grant: the one-time passcode that signs the user in without a password (default `prompt`); \
                        a `command:` reference can run a TOTP tool such as oathtool.\n\n
                        """ + secretForms,
                    examples: [.string("prompt"), .object(["command": .array([.string("oathtool"), .string("--totp"), .string("-b"), .string("JBSWY3DPEHPK3PXP")])])],
                    defaultValue: .string("prompt")),
        SchemaField("channel", .oneOf(MFAFactor.channels.map(\.profileName)), "okta_oob: push (Okta Verify), sms, voice or email (default `push`).",
                    documentation: """
                        `okta_oob` grant: where the sign-in is confirmed: `push` (Okta Verify; a number challenge is shown on stderr), \
                        or `sms`, `voice`, `email` (a code sent to the user, read from `code`).
                        """,
                    defaultValue: .string("push")),
        SchemaField("code", .secret, "okta_oob with channel sms, voice or email: the code sent to the user, as a secret reference (default `prompt`).",
                    documentation: "`okta_oob` grant, channel `sms`, `voice` or `email`: the code the user received (default `prompt`).\n\n" + secretForms,
                    examples: [.string("prompt")], defaultValue: .string("prompt")),
        SchemaField("refresh_token", .secret, "refresh_token grant: a refresh token obtained elsewhere, as a secret reference.", examples: [.string("file:~/.config/authflow/refresh-token")]),
        SchemaField("redirect_port", .integer(1...65535), "authorization_code: a fixed loopback port for the redirect.", examples: [.number(8765)]),
        SchemaField("subject_token", .secret, "token_exchange: the subject token, as a secret reference."),
        SchemaField("subject_token_type", .string, "token_exchange: the subject token's type URI.", defaultValue: .string("urn:ietf:params:oauth:token-type:access_token")),
        SchemaField("actor_token", .secret, "token_exchange: the actor token, as a secret reference."),
        SchemaField("actor_token_type", .string, "token_exchange: the actor token's type URI.", defaultValue: .string("urn:ietf:params:oauth:token-type:access_token")),
        SchemaField("assertion", .secret, "jwt_bearer: a ready assertion, as a secret reference."),
    ]

    /// The `tls` mapping.
    public static let tls: [SchemaField] = [
        SchemaField("ca_file", .string, "An extra CA bundle (PEM) for this profile.",
                    documentation: "An extra CA bundle (PEM) trusted for this profile besides the system's (or `SSL_CERT_FILE`'s); relative to this file.",
                    examples: [.string("./corp-ca.pem")]),
        SchemaField("client_cert", .string, "A TLS client certificate chain (PEM, leaf first), for mTLS (RFC 8705).",
                    documentation: """
                        A TLS client certificate chain (PEM, leaf first; relative to this file), presented whenever a server asks for one. \
                        Needs `client_key`. With `client.auth: tls_client_auth` it authenticates the client; with any other method it \
                        only binds tokens to the certificate (RFC 8705 §3).
                        """,
                    examples: [.string("./client.pem")]),
        SchemaField("client_key", .secret, "The private key of `client_cert` (PEM), as a secret reference.",
                    documentation: "The private key (PEM, unencrypted) of `client_cert`.\n\n" + secretForms,
                    examples: [.string("file:~/.config/authflow/client.key")]),
    ]

    /// The keys a profile (and `defaults`) may hold.
    public static let profile: [SchemaField] = [
        SchemaField("extends", .string, "Inherit the settings of another profile.",
                    documentation: "Inherit the settings of another profile (or a `.template`); this profile's keys win. Cycles are errors."),
        SchemaField("domain", .string, "Okta domain (`example.okta.com`, or a URL such as `http://127.0.0.1:8080`).",
                    documentation: """
                        Okta-style token source: a host, optionally with scheme and port (`https://` is implied; \
                        plain `http://` only for loopback hosts). Pick the authorization server with `auth_server`. \
                        Exactly one of `domain`, `issuer` or `token_url` per profile; `domain: ~` unsets an inherited one.
                        """,
                    examples: [.string("dev-123456.okta.com"), .string("http://127.0.0.1:8080")]),
        SchemaField("auth_server", .string, "Okta authorization server: `org` (default), `default`, or a custom server id.",
                    documentation: """
                        Okta authorization server: `org` (the default: issuer `https://DOMAIN`, tokens for Okta's APIs), \
                        `default`, or a custom server id such as `aus1a2b3c4d5e6f7g8h9` (issuer `https://DOMAIN/oauth2/ID`).
                        """,
                    defaultValue: .string("org"), suggestions: ["org", "default"]),
        SchemaField("issuer", .string, "Any OIDC issuer; endpoints come from its discovery document.",
                    documentation: "Any OIDC/OAuth issuer: endpoints come from `ISSUER/.well-known/openid-configuration` (or RFC 8414's `oauth-authorization-server`).",
                    examples: [.string("https://login.example.com/realms/main")]),
        SchemaField("token_url", .string, "An explicit token endpoint.",
                    documentation: "An explicit token endpoint; may be combined with `issuer`, and then wins over discovery.", examples: [.string("https://idp.example.com/oauth/token")]),
        SchemaField("client", .object(client), "The OAuth client."),
        SchemaField("grant", .shorthand(names: grantTypes, object: grant), "The grant: a type name, or a mapping with `type` and its settings.",
                    documentation: "The grant: a type name (`grant: client_credentials`), or a mapping with `type` and its settings. The shorthand replaces an inherited mapping whole.",
                    examples: [.string("client_credentials"), .object(["type": .string("password"), "username": .string("testuser1@example.com"), "password": .string("prompt")])]),
        SchemaField("scopes", .words, "Scopes to ask for: a list, or one space-separated string.",
                    documentation: "Scopes to ask for, sent as one space-separated `scope` parameter: a list, or one space-separated string. Okta's password grant needs `openid`.",
                    examples: [.array([.string("openid"), .string("profile")]), .string("openid profile offline_access")]),
        SchemaField("audience", .string, "An `audience` parameter for the token request.", examples: [.string("https://api.example.com")]),
        SchemaField("resource", .stringOrList, "RFC 8707 resource indicator(s).", examples: [.string("https://api.example.com")]),
        SchemaField("params", .stringMap, "Extra form parameters for the token request.",
                    documentation: "Extra form parameters for the token request, strings only; parameters authflow sets itself (`grant_type`, `scope`, ...) are refused."),
        SchemaField("output", .object([SchemaField("prefix", .string, "Prefix of exported variable names (default `\(OutputOptions.defaultPrefix)`).", examples: [.string("OKTA_")], defaultValue: .string(OutputOptions.defaultPrefix))]),
                    "Output settings."),
        SchemaField("timeout", .duration, "Per-request timeout (default `10s`).", examples: [.string("500ms"), .string("30s"), .string("2m")], defaultValue: .string("10s")),
        SchemaField("retries", .integer(0...10), "Retries after connection failures, 5xx and 429 (default 2).", defaultValue: .number(2)),
        SchemaField("refresh_skew", .duration, "A cached token is used while more than this is left of its life (default `60s`).", defaultValue: .string("60s")),
        SchemaField("cache", .object([
            SchemaField("refresh_token", .oneOf(RefreshTokenStorage.names), "Where the cached refresh token is kept: `file` (default) or `keyring`.",
                        documentation: """
                            Where the cached refresh token is kept: `file` (the default: in the cache file beside the access token, \
                            mode 0600) or `keyring` (the OS keychain, service `authflow`, an account naming the cache entry; never in \
                            the cache folder). Access tokens stay in the cache files either way, so a call answered from the cache \
                            never touches the keychain; `authflow cache clear` and `revoke` remove the keychain item too.
                            """,
                        defaultValue: .string("file")),
        ]), "Token cache settings."),
        SchemaField("git", .object([
            SchemaField("username", .string, "The user name `git-credential` answers with (default `oauth2`; GitHub App tokens use `x-access-token`)."),
            SchemaField("host", .string, "Answer git only for this host; other hosts get no credential."),
        ]), "`authflow git-credential` settings."),
        SchemaField("tls", .object(tls), "TLS settings: extra CA, client certificate."),
        SchemaField("verify", .object([
            SchemaField("algorithms", .words, "JWS algorithms `authflow verify` accepts (default `RS256`).",
                        documentation: "The JWS algorithms `authflow verify` accepts from this issuer: any of \(VerificationSettings.knownAlgorithms.joined(separator: ", ")). HMAC (`HS256`...) and `none` are never accepted.",
                        examples: [.array([.string("RS256"), .string("ES256")])], defaultValue: .array([.string("RS256")])),
            SchemaField("leeway", .duration, "Clock leeway for `exp`, `nbf` and `iat` (default `60s`, at most `120s`).", examples: [.string("30s")], defaultValue: .string("60s")),
            SchemaField("audience", .stringOrList, "The audience(s) a verified token must name (default: `audience`, or `api://default` on Okta custom servers).",
                        examples: [.string("api://default"), .string("https://api.example.com")]),
        ]), "`authflow verify` settings."),
    ]

    /// The top level of the file.
    public static let file: [SchemaField] = [
        SchemaField("version", .integer(1...1), "The file format version; must be 1.", required: true),
        SchemaField("defaults", .object(profile.filter { $0.name != "extends" }), "Settings merged under every profile.",
                    documentation: "Settings merged under every profile: mappings merge key by key, scalars and lists replace; a profile's `key: ~` unsets one."),
        SchemaField("profiles", .namedMap(.object(profile)), "The profiles, by name.", required: true,
                    documentation: "The profiles, by name (`[A-Za-z0-9][A-Za-z0-9._-]*`). A leading `.` marks a template: usable only through `extends`, and it may be incomplete.",
                    keyPattern: profileNamePattern, minEntries: 1),
        SchemaField("formats", .namedMap(.object([
            SchemaField("template", .string, "The output, with `{{field}}` placeholders: access_token, id_token, token_type, expires_at, expires_in, scope, profile.", required: true),
            SchemaField("escape", .oneOf(TemplateWriter.Escape.allCases.map(\.rawValue)), "How values are escaped: `json`, `shell`, or `none` (only for values whose syntax is safe).", required: true),
        ])), "User-defined output formats for `authflow token PROFILE --format NAME`."),
    ]
}
