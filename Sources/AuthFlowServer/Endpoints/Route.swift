/// Where a request goes: one endpoint of one authorization server, in Okta's URL layout (docs/guides/okta.md).
struct Route: Equatable, Sendable {
    enum Endpoint: String, Sendable {
        case token, keys, introspect, revoke, userinfo
        case deviceAuthorize = "device/authorize"
        case authorize
        case challenge
        case primaryAuthenticate = "primary-authenticate"
        case openIDConfiguration = "openid-configuration"
        case authorizationServerMetadata = "oauth-authorization-server"

        /// The HTTP methods the endpoint answers.
        var methods: Set<String> {
            switch self {
            case .token, .introspect, .revoke, .deviceAuthorize, .challenge, .primaryAuthenticate: ["POST"]
            case .userinfo, .authorize: ["GET", "POST"]
            case .keys, .openIDConfiguration, .authorizationServerMetadata: ["GET"]
            }
        }
    }

    var serverID: String
    var endpoint: Endpoint

    /// The route of `path`, or nil when it is not an authorization server path.
    ///
    ///     /oauth2/v1/{endpoint}                                  org (`device/authorize` has two segments)
    ///     /oauth2/{id}/v1/{endpoint}                             custom server
    ///     /.well-known/{document}                                org discovery
    ///     /oauth2/{id}/.well-known/{document}                    custom server discovery
    ///     /.well-known/oauth-authorization-server/oauth2/{id}    RFC 8414 §3.1 inserted form
    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let endpoints: Set<Endpoint> = [.token, .keys, .introspect, .revoke, .userinfo, .deviceAuthorize, .authorize, .challenge, .primaryAuthenticate]
        let documents: Set<Endpoint> = [.openIDConfiguration, .authorizationServerMetadata]
        func pick(_ server: String, _ name: String, from allowed: Set<Endpoint>) -> Route? {
            guard let endpoint = Endpoint(rawValue: name), allowed.contains(endpoint) else { return nil }
            return Route(serverID: server, endpoint: endpoint)
        }
        let route: Route? = switch parts.count {
        case 2 where parts[0] == ".well-known": pick("org", parts[1], from: documents)
        case 3 where parts[0] == "oauth2" && parts[1] == "v1": pick("org", parts[2], from: endpoints)
        case 4 where parts[0] == "oauth2" && parts[1] == "v1" && parts[2] == "device": pick("org", "device/" + parts[3], from: endpoints)
        case 5 where parts[0] == "oauth2" && parts[2] == "v1" && parts[3] == "device": pick(parts[1], "device/" + parts[4], from: endpoints)
        case 4 where parts[0] == "oauth2" && parts[2] == "v1": pick(parts[1], parts[3], from: endpoints)
        case 4 where parts[0] == "oauth2" && parts[2] == ".well-known": pick(parts[1], parts[3], from: documents)
        case 4 where parts[0] == ".well-known" && parts[1] == "oauth-authorization-server" && parts[2] == "oauth2":
            Route(serverID: parts[3], endpoint: .authorizationServerMetadata)
        default: nil
        }
        guard let route, !route.serverID.isEmpty else { return nil }
        self = route
    }

    private init(serverID: String, endpoint: Endpoint) {
        self.serverID = serverID
        self.endpoint = endpoint
    }
}
