import Foundation

/// The authorization server's answer about a token (RFC 7662 §2.2), server text sanitized.
public struct IntrospectionResult: Sendable {
    /// The response's members; every string has its control characters removed.
    public let response: JSONValue
    /// The `active` member.
    public let active: Bool
}

/// `authflow introspect`: asks the issuer's introspection endpoint (RFC 7662) about a token,
/// authenticated as the profile's client, the way a resource server would.
public struct Introspector: Sendable {
    /// Gets tokens and transports.
    public let service: TokenService

    /// An introspector using `service`.
    public init(service: TokenService) { self.service = service }

    /// Introspects `token` (nil: the profile's current access token), with `hint` as `token_type_hint`.
    public func introspect(_ token: String?, hint: String? = "access_token", profile: Profile, cache: CachePolicy = CachePolicy()) async throws -> IntrospectionResult {
        let folder = try ResourceEndpoints.cacheFolder(service: service, policy: cache)
        let token = try await ResourceEndpoints.token(token, of: profile, service: service, policy: cache)
        return try await service.withTransport(for: profile) { transport in
            let endpoints = try await ResourceEndpoints.resolve(profile, transport: transport, folder: folder)
            guard let url = endpoints.introspection else {
                throw AuthFlowError(.protocolError, "the issuer of profile '\(profile.name)' names no introspection_endpoint",
                                    hint: "the server does not offer RFC 7662 introspection; try authflow verify \(profile.name)")
            }
            let server = AuthorizationServerClient(transport: transport, resolver: service.resolver(for: profile), now: service.now)
            var fields: [(name: String, value: String)] = [("token", token)]
            if let hint { fields.append(("token_type_hint", hint)) }
            let (request, response) = try await server.post(fields, secrets: [Secret(token)], client: profile.client, to: url)
            return try Self.parse(response, from: url, secrets: request.secrets)
        }
    }

    /// Reads an introspection response: a JSON object with a boolean `active`, or an error with its exit code (docs/reference/exit-codes.md).
    static func parse(_ response: TransportResponse, from url: URL, secrets: [Secret]) throws -> IntrospectionResult {
        let secrets = secrets + response.renewedSecrets
        let json = JSONValue.parse(response.body)
        let endpoint = "the introspection endpoint \(url.absoluteString)"
        switch response.status {
        case 200:
            guard case .bool(let active)? = json?["active"] else {
                throw AuthFlowError(.protocolError, "\(endpoint) answered without a boolean active member: \(TokenResponseParser.excerpt(response.body, secrets))",
                                    hint: "the server is not answering as RFC 7662 §2.2 requires")
            }
            return IntrospectionResult(response: sanitized(json ?? .null, secrets), active: active)
        case 429, 500...:
            throw AuthFlowError(.unavailable, "\(endpoint) answered \(TokenResponseParser.serverSaid(response, secrets))",
                                hint: "the authorization server has a problem; try again later")
        default:
            if let code = json?["error"]?.string {
                let description = json?["error_description"]?.string.map { ": " + TokenResponseParser.clean($0, secrets) } ?? ""
                throw AuthFlowError(.refused, "the authorization server refused the introspection request: \(TokenResponseParser.clean(code, secrets))\(description)",
                                    hint: TokenResponseParser.hint(forError: code))
            }
            let refused = response.status == 401 || response.status == 403
            throw AuthFlowError(refused ? .refused : .protocolError,
                                "\(endpoint) answered \(response.status): \(TokenResponseParser.excerpt(response.body, secrets))",
                                hint: refused ? "check client.id, client.secret and client.auth: introspection needs the client's credentials" : "check the profile's issuer (or domain and auth_server)")
        }
    }

    /// `value` with control and format characters removed from every string, each capped, and secrets scrubbed.
    static func sanitized(_ value: JSONValue, _ secrets: [Secret]) -> JSONValue {
        switch value {
        case .string(let text): .string(TokenResponseParser.clean(text, secrets, limit: 2000))
        case .array(let items): .array(items.prefix(1000).map { sanitized($0, secrets) })
        case .object(let members):
            .object(Dictionary(members.prefix(1000).map { (TokenResponseParser.clean($0.key, secrets, limit: 200), sanitized($0.value, secrets)) }) { first, _ in first })
        default: value
        }
    }
}
