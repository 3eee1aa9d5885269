import AuthFlowCore
import Foundation
import JWTKit

/// The authorization server behind `authflow serve`: resolved users and clients, the signing
/// key and the in-memory token state, answering requests in Okta's layout. Framework-free:
/// `ServeResponder` adapts it to Hummingbird.
struct AuthorizationServer: Sendable {
    /// A user with the password resolved.
    struct User: Sendable {
        let settings: ServeConfiguration.User
        let password: Secret
        /// The decoded TOTP secret, when an authenticator app is enrolled.
        var totp: [UInt8]? = nil
    }

    /// A client with the secret resolved.
    struct Client: Sendable {
        let settings: ServeConfiguration.Client
        let secret: Secret?
        /// The registered public keys, for `private_key_jwt`.
        var publicKeys: [JWTKeyCollection] = []
    }

    let users: [String: User]
    let clients: [String: Client]
    let authServers: [String: ServeConfiguration.AuthServer]
    let key: SigningKey
    let store = TokenStore()
    let devices = DeviceStore()
    let codes = AuthorizationCodeStore()
    let mfa = MFAStore()

    /// Resolves every secret of `configuration` and loads or generates the signing key.
    init(configuration: ServeConfiguration, resolver: SecretResolver) async throws {
        var users: [String: User] = [:]
        for user in configuration.users {
            let password = try await resolver.resolve(user.password, field: "users.\(user.username).password")
            var resolved = User(settings: user, password: password)
            if let reference = user.mfa?.totp {
                let field = "users.\(user.username).mfa.totp"
                guard let secret = TOTP.base32Decode(try await resolver.resolve(reference, field: field).reveal()) else {
                    throw AuthFlowError(.invalidProfile, "\(field) is not a base32 secret", hint: "write the secret an authenticator app is enrolled with, such as JBSWY3DPEHPK3PXP")
                }
                resolved.totp = secret
            }
            users[user.username] = resolved
        }
        var clients: [String: Client] = [:]
        for client in configuration.clients {
            let secret = try await client.secret.asyncMap { try await resolver.resolve($0, field: "clients.\(client.id).secret") }
            let keys = try await ClientKeys.load(client.publicKeys, client: client.id)
            clients[client.id] = Client(settings: client, secret: secret, publicKeys: keys)
        }
        self.users = users
        self.clients = clients
        authServers = Dictionary(configuration.authServers.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        if let reference = configuration.signingKey {
            key = try await SigningKey.load(pem: resolver.resolve(reference, field: "signing_key"), field: "signing_key")
        } else {
            key = try await SigningKey.generate()
        }
    }

    /// The answer to `request`; `base` is the server's own URL (`http://127.0.0.1:PORT`).
    func respond(to request: EndpointRequest, base: String) async -> EndpointResponse {
        var request = request
        request.base = base
        if request.path == "/__authflow/stats", request.method == "GET" {
            return .json(.object(await store.stats(now: Self.now()).mapValues { .number(Double($0)) }))
        }
        if let answer = await userPage(request) { return answer }
        guard let route = Route(path: request.path) else {
            return .okta(status: 404, code: "E0000007", summary: "Not found: Resource not found: \(request.path.prefix(200))")
        }
        guard let settings = authServers[route.serverID] else {
            return .okta(status: 404, code: "E0000007", summary: "Not found: Resource not found: \(route.serverID.prefix(100)) (AuthorizationServer)")
        }
        guard route.endpoint.methods.contains(request.method) else {
            return .okta(status: 405, code: "E0000022", summary: "The endpoint does not support the provided HTTP method")
        }
        let issuer = Issuer(settings, base: base)
        do {
            switch route.endpoint {
            case .token: return try await token(request, at: issuer)
            case .keys: return .json(.object(["keys": .array([key.jwk])]))
            case .introspect: return try await introspect(request, at: issuer)
            case .revoke: return try await revoke(request, at: issuer)
            case .deviceAuthorize: return try await deviceAuthorize(request, at: issuer)
            case .challenge: return try await challenge(request, at: issuer)
            case .primaryAuthenticate: return try await primaryAuthenticate(request, at: issuer)
            case .authorize: return try await authorize(request, at: issuer)
            case .userinfo: return try await userinfo(request, at: issuer)
            case .openIDConfiguration: return discoveryDocument(at: issuer, openID: true)
            case .authorizationServerMetadata: return discoveryDocument(at: issuer, openID: false)
            }
        } catch let error as OAuthError {
            return error.response
        } catch {
            return OAuthError(status: 500, code: "server_error", description: "The server could not complete the request.").response
        }
    }

    /// The current time in whole Unix seconds, as JWT claims count it.
    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}

/// One authorization server as seen from a request: its settings and its URLs.
struct Issuer: Sendable {
    let settings: ServeConfiguration.AuthServer
    /// The `iss` of its tokens: the base URL for `org`, `BASE/oauth2/{id}` otherwise.
    let url: String
    /// Where its endpoints live: `BASE/oauth2/v1` or `BASE/oauth2/{id}/v1`.
    let endpoints: String

    init(_ settings: ServeConfiguration.AuthServer, base: String) {
        self.settings = settings
        url = settings.id == "org" ? base : "\(base)/oauth2/\(settings.id)"
        endpoints = settings.id == "org" ? "\(base)/oauth2/v1" : "\(url)/v1"
    }

    var id: String { settings.id }

    /// The access tokens' `aud`: configured, else the issuer for `org` (as Okta), else `api://{id}`.
    var audience: String { settings.audience ?? (settings.id == "org" ? url : "api://\(settings.id)") }
}

extension Optional {
    /// `transform` applied to the wrapped value, awaiting it.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
