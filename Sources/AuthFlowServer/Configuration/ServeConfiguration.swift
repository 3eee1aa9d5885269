public import AuthFlowCore

/// The settings of `authflow serve`: users, clients, authorization servers and the signing key.
/// Secrets stay references here; the server resolves them when it starts.
public struct ServeConfiguration: Sendable {
    /// A grant the server runs.
    public enum GrantType: String, Sendable, CaseIterable {
        /// Resource owner password credentials (RFC 6749 §4.3).
        case password
        /// Client credentials (RFC 6749 §4.4).
        case clientCredentials = "client_credentials"
        /// Refresh token, rotated on use (RFC 6749 §6).
        case refreshToken = "refresh_token"
        /// Device authorization (RFC 8628); its token requests use the `urn:...:device_code` grant type.
        case deviceCode = "device_code"
        /// Authorization code with PKCE (RFC 6749 §4.1, RFC 7636), through `/v1/authorize`.
        case authorizationCode = "authorization_code"
        /// Token exchange (RFC 8693) of this server's access tokens; `urn:...:token-exchange` on the wire.
        case tokenExchange = "token_exchange"
        /// JWT bearer (RFC 7523) assertions signed with the client's `public_keys`; `urn:...:jwt-bearer` on the wire.
        case jwtBearer = "jwt_bearer"

        /// The `grant_type` of token requests for this grant.
        public var grantTypeParameter: String {
            switch self {
            case .deviceCode: "urn:ietf:params:oauth:grant-type:device_code"
            case .tokenExchange: "urn:ietf:params:oauth:grant-type:token-exchange"
            case .jwtBearer: "urn:ietf:params:oauth:grant-type:jwt-bearer"
            default: rawValue
            }
        }

        /// The grant named by a token request's `grant_type`.
        public init?(grantTypeParameter name: String) {
            switch name {
            case "urn:ietf:params:oauth:grant-type:device_code": self = .deviceCode
            case "urn:ietf:params:oauth:grant-type:token-exchange": self = .tokenExchange
            case "urn:ietf:params:oauth:grant-type:jwt-bearer": self = .jwtBearer
            case "device_code", "token_exchange", "jwt_bearer": return nil
            default: self.init(rawValue: name)
            }
        }
    }

    /// How a client may authenticate at the token, introspection and revocation endpoints.
    public enum AuthMethod: String, Sendable, CaseIterable {
        /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
        case clientSecretBasic = "client_secret_basic"
        /// `client_id` and `client_secret` in the form body.
        case clientSecretPost = "client_secret_post"
        /// A JWT assertion signed with a private key registered as `public_keys` (RFC 7523 §2.2).
        case privateKeyJWT = "private_key_jwt"
        /// A JWT assertion signed with the client secret by HS256.
        case clientSecretJWT = "client_secret_jwt"
        /// A public client: `client_id` only.
        case none
    }

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
