public import Foundation

/// One ready-to-use profile: merged with `defaults` and `extends`, variables expanded, checked.
public struct Profile: Sendable {
    /// Where tokens come from (exactly one per profile).
    public enum TokenSource: Sendable, Hashable {
        /// Okta-style: a base URL and an authorization server id (`org` or a custom id).
        case okta(base: URL, authServer: String)
        /// Any OIDC/OAuth issuer, found through discovery.
        case issuer(URL)
        /// An explicit token endpoint, with an optional issuer for the other endpoints.
        case tokenURL(URL, issuer: URL?)
    }

    /// How the client authenticates at the token endpoint.
    public typealias ClientAuth = ClientAuthMethod

    /// A TLS client certificate (RFC 8705), presented on every connection the server asks one of.
    public struct ClientCertificate: Sendable, Hashable {
        /// The PEM certificate chain, leaf first, as an absolute path.
        public var chainFile: String
        /// The reference to its private key (PEM).
        public var key: SecretReference
    }

    /// The OAuth client.
    public struct Client: Sendable, Hashable {
        /// The client id.
        public var id: String
        /// The client secret's reference, for a confidential client.
        public var secret: SecretReference?
        /// The authentication method.
        public var auth: ClientAuth
        /// The private key's reference, for `private_key_jwt`.
        public var privateKey: SecretReference? = nil
        /// The private key's `kid`, named in the assertion's header.
        public var keyID: String? = nil
    }

    /// A user name: plain text or a secret reference.
    public enum Username: Sendable, Hashable, CustomStringConvertible {
        case plain(String)
        case secret(SecretReference)

        public var description: String {
            switch self {
            case .plain(let name): name
            case .secret(let reference): reference.description
            }
        }
    }

    /// `grant.mfa`: the second factor the password grant answers `mfa_required` with.
    public struct MFA: Sendable, Hashable {
        /// Which factor.
        public var factor: MFAFactor
        /// `otp`: where the one-time passcode comes from (default `prompt`).
        public var otp: SecretReference
        /// `sms`, `voice`, `email`: where the code sent to the user comes from (default `prompt`).
        public var code: SecretReference

        /// Creates the settings; both references default to `prompt`.
        public init(factor: MFAFactor, otp: SecretReference = .prompt, code: SecretReference = .prompt) {
            self.factor = factor
            self.otp = otp
            self.code = code
        }
    }

    /// The grant and its settings.
    public enum Grant: Sendable, Hashable {
        /// The password grant; `mfa` answers a server that asks for a second factor (nil: ask on the terminal).
        case password(username: Username, password: SecretReference, mfa: MFA? = nil)
        case clientCredentials
        case refreshToken(SecretReference)
        /// The device authorization grant (RFC 8628): the user approves on another device.
        case deviceCode
        /// Authorization code with PKCE in the browser, redirected to a loopback port (nil: any free port).
        case authorizationCode(redirectPort: Int?)
        /// Token exchange (RFC 8693): subject (and actor) token references and their type URIs.
        case tokenExchange(subject: SecretReference, subjectType: String, actor: SecretReference?, actorType: String?)
        /// JWT bearer (RFC 7523): a ready assertion, or nil to sign one with `client.private_key`.
        case jwtBearer(assertion: SecretReference?)
        /// Okta Direct Authentication without a password: the user (`login_hint`) and a one-time passcode.
        case oktaOTP(username: Username, otp: SecretReference)
        /// Okta Direct Authentication without a password: the user (`login_hint`), the out-of-band
        /// channel (push, sms, voice or email; never `otp`) and, for the channels that send one, the code.
        case oktaOOB(username: Username, channel: MFAFactor, code: SecretReference)

        /// Which grant it is.
        public var type: GrantType {
            switch self {
            case .password: .password
            case .clientCredentials: .clientCredentials
            case .refreshToken: .refreshToken
            case .deviceCode: .deviceCode
            case .authorizationCode: .authorizationCode
            case .tokenExchange: .tokenExchange
            case .jwtBearer: .jwtBearer
            case .oktaOTP: .oktaOTP
            case .oktaOOB: .oktaOOB
            }
        }

        /// The grant's name in profile files.
        public var name: String { type.profileName }

        /// True for grants that need a user at a browser.
        public var isInteractive: Bool { type.isInteractive }
    }

    /// What every token request carries besides the grant.
    public struct RequestParameters: Sendable {
        /// Scopes, sent space-separated.
        public var scopes: [String] = []
        /// The `audience` parameter.
        public var audience: String?
        /// RFC 8707 resource indicators.
        public var resources: [String] = []
        /// Extra form parameters, in file order.
        public var params: [(name: String, value: String)] = []

        /// The form fields a token request adds to its grant's: `scope` (space-separated),
        /// `audience`, one `resource` each, then the extra parameters.
        public var fields: [(name: String, value: String)] {
            var fields: [(name: String, value: String)] = scopes.isEmpty ? [] : [("scope", scopes.joined(separator: " "))]
            if let audience { fields.append(("audience", audience)) }
            fields += resources.map { ("resource", $0) }
            return fields + params
        }
    }

    /// How authflow talks to the authorization server.
    public struct Connection: Sendable {
        /// Per-request timeout.
        public var timeout: Duration = .seconds(10)
        /// Retries after connection failures, 5xx and 429.
        public var retries = 2
        /// An extra CA bundle, as an absolute path.
        public var caFile: String?
        /// `tls.client_cert` and `tls.client_key`, when the profile has a client certificate.
        public var clientCertificate: ClientCertificate?
    }

    /// `git:` settings of `git-credential`.
    public struct Git: Sendable, Hashable {
        /// The user name `git-credential` answers with the token as password.
        public var username = "oauth2"
        /// When set, `git-credential` answers only for this host.
        public var host: String?
    }

    /// The profile's name.
    public var name: String
    /// Where tokens come from.
    public var source: TokenSource
    /// The client.
    public var client: Client
    /// The grant.
    public var grant: Grant
    /// Scopes, audience, resources and extra parameters.
    public var request: RequestParameters
    /// Timeout, retries and TLS.
    public var connection: Connection
    /// A cached token is used while more than this is left of its life.
    public var refreshSkew: Duration
    /// Prefix of exported variable names.
    public var outputPrefix: String
    /// `git-credential`'s user name and host.
    public var git: Git
    /// The folder of the profile file, where relative `file:` paths start.
    public var directory: String
    /// `verify:` settings: allowed algorithms, clock leeway, accepted audiences.
    public var verification = VerificationSettings()
    /// `cache.refresh_token`: the cache file (the default) or the OS keychain.
    public var refreshTokenStorage: RefreshTokenStorage = .file
}

extension Profile.Grant {
    /// The grant types this build can run; others are refused at validation with this list.
    public static let supported = GrantType.allCases.map(\.profileName)
}
