public import AuthFlowCore

/// The settings of `authflow serve`: users, clients, authorization servers and the signing key.
/// Secrets stay references here; the server resolves them when it starts.
public struct ServeConfiguration: Sendable {
    /// A grant the server runs: every grant authflow runs, under the same names.
    public typealias GrantType = AuthFlowCore.GrantType

    /// How a client may authenticate at the token, introspection and revocation endpoints.
    public typealias AuthMethod = ClientAuthMethod

    /// The client authentication methods the server accepts: all but `tls_client_auth`, since
    /// it serves plain HTTP.
    public static let authMethods: [AuthMethod] = AuthMethod.allCases.filter { $0 != .tlsClientAuth }

    /// A resource owner who can sign in with the password grant.
    public struct User: Sendable {
        /// The login, the access token's `sub`.
        public var username: String
        /// The Okta-style user id: the access token's `uid`, the ID token's and userinfo's `sub`.
        public var id: String
        /// Where the password comes from.
        public var password: SecretReference
        /// Profile claims (`name`, `email`, `groups`, ...) for ID tokens and userinfo.
        public var claims: [String: JSONValue]
        /// Enrolled second factors; when set, the password grant answers `mfa_required`.
        public var mfa: MFA? = nil
    }

    /// A user's second factors (Okta Direct Authentication).
    public struct MFA: Sendable {
        /// The base32 TOTP secret of an authenticator app (RFC 6238: SHA-1, 30 s, 6 digits).
        public var totp: SecretReference?
        /// Okta Verify push: nil when not enrolled.
        public var push: Push?
        /// Channels that deliver a code the user types: sms, voice, email.
        public var codeChannels: Set<String>
    }

    /// How the simulated phone answers a push.
    public struct Push: Sendable {
        /// Approve by itself after this many polls; nil: only `/__authflow/mfa/approve` decides.
        public var approveAfter: Int?
        /// Ask for a number challenge (`binding: transfer`, Okta's `binding_method=transfer`).
        public var numberChallenge: Bool
    }

    /// An OAuth client registered with the server.
    public struct Client: Sendable {
        /// The client id.
        public var id: String
        /// Where the secret comes from; nil for a public client.
        public var secret: SecretReference?
        /// The grants the client may use.
        public var grantTypes: Set<GrantType>
        /// The ways the client may authenticate.
        public var authMethods: Set<AuthMethod>
        /// Registered redirect URIs, kept for the grants that use them.
        public var redirectURIs: [String]
        /// Absolute paths of the public keys (PEM, JWK or JWKS) that verify `private_key_jwt` assertions.
        public var publicKeys: [String] = []
    }

    /// One authorization server: `org`, or a custom one such as `default`.
    public struct AuthServer: Sendable {
        /// `org`, or the custom server's id in its paths (`/oauth2/{id}/v1/...`).
        public var id: String
        /// The access token's `aud`; nil means the issuer (`org`) or `api://{id}`.
        public var audience: String?
        /// The scopes a client may ask for.
        public var scopes: [String]
        /// The scopes granted when a request names none; empty: such a request is refused, as Okta does.
        public var defaultScopes: [String] = []
        /// Access token lifetime in seconds.
        public var accessTokenLifetime: Int
        /// ID token lifetime in seconds.
        public var idTokenLifetime: Int
        /// Refresh token lifetime in seconds.
        public var refreshTokenLifetime: Int
        /// Device authorization: seconds between polls.
        public var deviceInterval = 5
        /// Device authorization: how long a device code lives, in seconds.
        public var deviceCodeLifetime = 600
        /// Direct Authentication: how long an mfa_token (and its challenges) lives, in seconds.
        public var mfaTokenLifetime = 300
        /// Direct Authentication: seconds between out-of-band polls.
        public var mfaInterval = 5
    }

    /// The file as the user named it.
    public var path: String
    /// The file's folder, where relative `file:` references start.
    public var directory: String
    /// Users by username, in file order.
    public var users: [User]
    /// Clients, in file order.
    public var clients: [Client]
    /// Authorization servers, in file order.
    public var authServers: [AuthServer]
    /// A PEM RSA private key; nil means a new key is generated at every start.
    public var signingKey: SecretReference?
}
