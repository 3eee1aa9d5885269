/// The OAuth grants authflow runs: each case is the one place its name in profile files, its
/// `grant_type` on the wire, the keys it takes under `grant:` and whether a person takes part are
/// written. The schema, the profile builder, the cache key, `init` and `authflow serve` read them.
public enum GrantType: String, Sendable, Hashable, CaseIterable {
    /// Resource owner password credentials (RFC 6749 §4.3).
    case password
    /// Client credentials (RFC 6749 §4.4).
    case clientCredentials = "client_credentials"
    /// A refresh token obtained elsewhere (RFC 6749 §6).
    case refreshToken = "refresh_token"
    /// Device authorization (RFC 8628): the user approves on another device.
    case deviceCode = "device_code"
    /// Authorization code with PKCE in the browser (RFC 6749 §4.1, RFC 7636).
    case authorizationCode = "authorization_code"
    /// Token exchange (RFC 8693).
    case tokenExchange = "token_exchange"
    /// JWT bearer assertion (RFC 7523).
    case jwtBearer = "jwt_bearer"
    /// Okta Direct Authentication, passwordless: a one-time passcode (an authenticator app's code)
    /// is the primary factor. Named after the grant Okta's admin console lists as "OTP".
    case oktaOTP = "okta_otp"
    /// Okta Direct Authentication, passwordless: an out-of-band factor (Okta Verify push, or a code
    /// sent by SMS, voice or email) started at `/primary-authenticate`, then polled. Okta's "OOB".
    case oktaOOB = "okta_oob"

    /// The name in profile files and `serve`'s configuration.
    public var profileName: String { rawValue }

    /// The `grant_type` parameter of its token requests.
    public var wireName: String {
        switch self {
        case .deviceCode: "urn:ietf:params:oauth:grant-type:device_code"
        case .tokenExchange: "urn:ietf:params:oauth:grant-type:token-exchange"
        case .jwtBearer: "urn:ietf:params:oauth:grant-type:jwt-bearer"
        case .oktaOTP: "urn:okta:params:oauth:grant-type:otp"
        case .oktaOOB: "urn:okta:params:oauth:grant-type:oob"
        case .password, .clientCredentials, .refreshToken, .authorizationCode: rawValue
        }
    }

    /// The grant whose token requests carry `grant_type=wireName`; nil for anything else
    /// (the profile names of the URN grants included).
    public init?(wireName: String) {
        guard let grant = Self.allCases.first(where: { $0.wireName == wireName }) else { return nil }
        self = grant
    }

    /// The keys it takes under `grant:` besides `type`.
    public var keys: [String] {
        switch self {
        case .password: ["username", "password", "mfa"]
        case .clientCredentials, .deviceCode: []
        case .refreshToken: ["refresh_token"]
        case .authorizationCode: ["redirect_port"]
        case .tokenExchange: ["subject_token", "subject_token_type", "actor_token", "actor_token_type"]
        case .jwtBearer: ["assertion"]
        case .oktaOTP: ["username", "otp"]
        case .oktaOOB: ["username", "channel", "code"]
        }
    }

    /// True for grants that need a user at a browser or another device (a phone, for `okta_oob`).
    public var isInteractive: Bool {
        switch self {
        case .deviceCode, .authorizationCode, .oktaOOB: true
        case .oktaOTP, .password, .clientCredentials, .refreshToken, .tokenExchange, .jwtBearer: false
        }
    }

    /// The token type URI a token exchange assumes when the profile names none (RFC 8693 §3).
    public static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"
}

/// How a client proves itself at the authorization server's endpoints (RFC 6749 §2.3, RFC 7523
/// §2.2, RFC 8705 §2): the one list the schema, the builder, the cache key and `serve` read.
public enum ClientAuthMethod: String, Sendable, Hashable, CaseIterable {
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and `client_secret` in the form body.
    case clientSecretPost = "client_secret_post"
    /// A JWT assertion signed with the client's private key (RFC 7523 §2.2).
    case privateKeyJWT = "private_key_jwt"
    /// A JWT assertion signed with the client secret (HS256).
    case clientSecretJWT = "client_secret_jwt"
    /// The TLS client certificate authenticates; the body names the client (RFC 8705 §2.1).
    case tlsClientAuth = "tls_client_auth"
    /// A public client: `client_id` only.
    case none

    /// The name in profile files and on the wire (`token_endpoint_auth_method`).
    public var name: String { rawValue }

    /// Whether each request carries a newly signed client assertion, which a server accepts once.
    public var signsAssertion: Bool { self == .privateKeyJWT || self == .clientSecretJWT }
}
