public import Foundation

/// The URLs of one authorization server.
public struct Endpoints: Sendable, Hashable {
    /// The issuer, when known.
    public var issuer: URL?
    /// The token endpoint.
    public var token: URL
    /// The JWKS, when known.
    public var jwks: URL?
    /// RFC 7662 introspection, when known.
    public var introspection: URL?
    /// RFC 7009 revocation, when known.
    public var revocation: URL?
    /// RFC 8628 device authorization, when known.
    public var deviceAuthorization: URL?
    /// The authorization endpoint (browser logins), when known.
    public var authorization: URL?
    /// The discovery document's `grant_types_supported`, when one was read.
    public var grantTypesSupported: [String]? = nil

    /// Creates endpoints.
    public init(issuer: URL?, token: URL, jwks: URL? = nil, introspection: URL? = nil, revocation: URL? = nil, deviceAuthorization: URL? = nil, authorization: URL? = nil) {
        self.deviceAuthorization = deviceAuthorization
        self.authorization = authorization
        self.issuer = issuer
        self.token = token
        self.jwks = jwks
        self.introspection = introspection
        self.revocation = revocation
    }

    /// Okta's layout (docs/guides/okta.md): `org` lives at `BASE/oauth2/v1/`, issuer `BASE`; a custom server
    /// `ID` at `BASE/oauth2/ID/v1/`, issuer `BASE/oauth2/ID`. No discovery request is needed.
    public static func okta(base: URL, authServer: String) -> Endpoints {
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        let issuer = authServer == "org" ? root : "\(root)/oauth2/\(authServer)"
        let prefix = authServer == "org" ? "\(root)/oauth2/v1" : "\(issuer)/v1"
        func url(_ path: String) -> URL? { URL(string: "\(prefix)/\(path)") }
        return Endpoints(issuer: URL(string: issuer), token: url("token") ?? base, jwks: url("keys"),
                         introspection: url("introspect"), revocation: url("revoke"),
                         deviceAuthorization: url("device/authorize"), authorization: url("authorize"))
    }

    /// The token endpoint a profile names without a network request, or nil when discovery is needed.
    public static func staticEndpoints(for source: Profile.TokenSource) -> Endpoints? {
        switch source {
        case .okta(let base, let server): okta(base: base, authServer: server)
        case .tokenURL(let token, let issuer): Endpoints(issuer: issuer, token: token)
        case .issuer: nil
        }
    }
}
