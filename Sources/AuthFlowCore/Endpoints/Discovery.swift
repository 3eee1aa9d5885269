public import Foundation

/// OIDC discovery (`/.well-known/openid-configuration`), falling back to RFC 8414
/// (`/.well-known/oauth-authorization-server`, inserted before the issuer's path).
public struct Discovery: Sendable {
    /// Where requests go.
    public let transport: any HTTPTransport
    /// Where fetched documents are kept, if anywhere.
    public let cache: DiscoveryCache?

    /// Creates discovery over `transport`, remembering documents in `cache`.
    public init(transport: any HTTPTransport, cache: DiscoveryCache? = nil) {
        self.transport = transport
        self.cache = cache
    }

    /// The endpoints for `source`, asking the network only when the profile names an issuer alone.
    public func endpoints(for source: Profile.TokenSource) async throws -> Endpoints {
        if let known = Endpoints.staticEndpoints(for: source) { return known }
        guard case .issuer(let issuer) = source else { throw AuthFlowError(.internalError, "no issuer to discover") }
        if let known = cache?.endpoints(for: issuer) { return known }
        let endpoints = try await discover(issuer: issuer)
        cache?.store(endpoints, for: issuer)
        return endpoints
    }

    /// Fetches and checks the discovery document of `issuer`.
    public func discover(issuer: URL) async throws -> Endpoints {
        var lastStatus = 0
        for url in Self.documentURLs(issuer: issuer) {
            let response = try await transport.send(.getJSON(url))
            lastStatus = response.status
            if response.status == 404 { continue }
            if response.status >= 500 || response.status == 429 {
                throw AuthFlowError(.unavailable, "discovery at \(url.absoluteString) answered \(response.status)", hint: "the server may be down; try again later")
            }
            guard response.status == 200, let document = JSONValue.parse(response.body)?.object else {
                throw AuthFlowError(.protocolError, "discovery at \(url.absoluteString) did not return a JSON document (status \(response.status))",
                                    hint: "check that issuer is the authorization server's issuer URL")
            }
            return try Self.endpoints(from: document, issuer: issuer, at: url)
        }
        throw AuthFlowError(.protocolError, "no discovery document for issuer \(issuer.absoluteString) (status \(lastStatus))",
                            hint: "check the issuer URL, or set token_url explicitly")
    }

    static func documentURLs(issuer: URL) -> [URL] {
        let text = issuer.absoluteString.hasSuffix("/") ? String(issuer.absoluteString.dropLast()) : issuer.absoluteString
        var urls = [URL(string: "\(text)/.well-known/openid-configuration")]
        if var parts = URLComponents(url: issuer, resolvingAgainstBaseURL: false) {
            let path = parts.path == "/" ? "" : parts.path
            parts.path = "/.well-known/oauth-authorization-server\(path)"
            urls.append(parts.url)
        }
        return urls.compactMap { $0 }
    }

    static func endpoints(from document: [String: JSONValue], issuer: URL, at url: URL) throws -> Endpoints {
        let stated = document["issuer"]?.string
        guard let stated, URL(string: stated)?.trailingSlashRemoved == issuer.trailingSlashRemoved else {
            throw AuthFlowError(.protocolError, "discovery at \(url.absoluteString) names issuer '\((stated ?? "none").sanitizedForTerminal(limit: 100))', not \(issuer.absoluteString)",
                                hint: "the issuer in the profile must match the server's exactly (RFC 8414 §3.3)")
        }
        // An https issuer's endpoints are https too, loopback or not: a document must not move
        // the client's credentials onto plain http.
        let secureIssuer = issuer.scheme?.lowercased() == "https"
        func endpoint(_ key: String) throws -> URL? {
            guard let text = document[key]?.string else { return nil }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
                  scheme == "https" || (scheme == "http" && URL.isLoopback(host: host) && !secureIssuer) else {
                throw AuthFlowError(.protocolError, "discovery: \(key) '\(text.sanitizedForTerminal(limit: 100))' is not an https URL",
                                    hint: secureIssuer ? "the issuer is https, so every endpoint it names must be https" : "plain http is accepted only for loopback hosts")
            }
            return url
        }
        guard let token = try endpoint("token_endpoint") else {
            throw AuthFlowError(.protocolError, "discovery at \(url.absoluteString) has no token_endpoint", hint: "set token_url in the profile")
        }
        // The issuer as the document spells it (equal to the profile's but for a trailing '/'): the
        // one its tokens carry in `iss`, which verification compares exactly.
        var endpoints = Endpoints(issuer: URL(string: stated) ?? issuer, token: token, jwks: try endpoint("jwks_uri"),
                                  introspection: try endpoint("introspection_endpoint"), revocation: try endpoint("revocation_endpoint"),
                                  deviceAuthorization: try endpoint("device_authorization_endpoint"), authorization: try endpoint("authorization_endpoint"))
        endpoints.grantTypesSupported = document["grant_types_supported"]?.array?.compactMap(\.string)
        return endpoints
    }
}

