public import Foundation

/// The one door to an authorization server: every form POST authflow sends it — token, device
/// authorization, revocation, introspection — is built here, with the client's authentication,
/// `Accept`, `User-Agent`, and every secret the request carries listed for redaction.
public struct AuthorizationServerClient: Sendable {
    /// Where requests go.
    public let transport: any HTTPTransport
    /// Resolves the client's credentials.
    public let resolver: SecretResolver
    /// The clock (a client assertion's `iat` and `exp`).
    public let now: @Sendable () -> Date

    /// Creates the client.
    public init(transport: any HTTPTransport, resolver: SecretResolver, now: @escaping @Sendable () -> Date = Date.init) {
        self.transport = transport
        self.resolver = resolver
        self.now = now
    }

    /// A form POST of `fields` (carrying `secrets`, and the credential `singleUse` names when it
    /// must not be sent twice) to `url`, authenticated as `client`. The client's secrets are
    /// resolved once; a client that signs an assertion signs a new one (a new `jti`) for each
    /// attempt, and so does `renewFields`, for a grant whose own fields carry one.
    public func request(_ fields: [(name: String, value: String)], secrets: [Secret], singleUse: String? = nil, client: Profile.Client, to url: URL,
                        renewFields: (@Sendable () async throws -> GrantParameters)? = nil) async throws -> TransportRequest {
        let credential = try await ClientAuthentication.credential(for: client, resolver: resolver)
        let now = self.now
        @Sendable func build(_ fields: [(name: String, value: String)], secrets: [Secret], singleUse: String?) async throws -> TransportRequest {
            let auth = try await ClientAuthentication.parts(credential, endpoint: url, now: now())
            let headers: [(name: String, value: String)] = [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
                ("User-Agent", UserAgent.value),
            ] + auth.headers
            return TransportRequest(method: "POST", url: url, headers: headers, body: Data(FormEncoding.body(fields + auth.fields).utf8),
                                    secrets: secrets + auth.secrets, singleUse: singleUse)
        }
        var request = try await build(fields, secrets: secrets, singleUse: singleUse)
        if client.auth.signsAssertion || renewFields != nil {
            request.renewal = {
                let renewed = try await renewFields?() ?? GrantParameters(fields: fields, secrets: secrets, singleUse: singleUse)
                return try await build(renewed.fields, secrets: renewed.secrets, singleUse: renewed.singleUse)
            }
        }
        return request
    }

    /// Sends the form POST `request(_:secrets:client:to:)` builds; returns it (for its secrets) and the answer.
    public func post(_ fields: [(name: String, value: String)], secrets: [Secret], client: Profile.Client, to url: URL) async throws -> (request: TransportRequest, response: TransportResponse) {
        let request = try await request(fields, secrets: secrets, client: client, to: url)
        return (request, try await transport.send(request))
    }
}
