import AsyncHTTPClient
import AuthFlowCore
import AuthFlowServer
import Foundation
import NIOCore
import Testing

/// The serve file the tests run against: two users, four clients, org and default servers.
let testConfiguration = """
version: 1
users:
  testuser1@example.com:
    password: literal:Passw0rd!
    id: 00u1testuser1
    claims:
      name: Test User One
      email: testuser1@example.com
      email_verified: true
      groups: [Everyone, Admins]
  testuser2@example.com:
    password: literal:S3cond-Passw0rd
clients:
  0oab8olIgVNOkztHm0h7:
    secret: literal:demo-client-secret
    grant_types: [password, client_credentials, refresh_token]
  tricky-client:
    secret: "literal:s3cr3t/+= &%x"
    grant_types: password client_credentials
    auth_methods: [client_secret_basic]
  machine:
    secret: literal:machine-secret
    grant_types: [client_credentials]
    auth_methods: [client_secret_post]
  authflow-cli:
    grant_types: [password, refresh_token]
authorization_servers:
  org:
    scopes: [openid, profile, email, offline_access]
  default:
    scopes: openid profile email offline_access api:read api:write
    lifetimes: {access_token: 10m, id_token: 5m, refresh_token: 1h}
"""

/// The confidential client's credentials.
let confidential = (id: "0oab8olIgVNOkztHm0h7", secret: "demo-client-secret")

/// A real server on a free loopback port, and an HTTP client for it.
struct TestServer {
    let running: RunningServer
    /// Where requests go: the loopback address listened on (the advertised URL may be a public one).
    var base: String { "http://127.0.0.1:\(running.port)" }

    /// Runs `body` against a fresh server, stopping it afterwards whatever happens.
    static func with(_ yaml: String = testConfiguration, path: String = "serve.yaml", port: Int = 0,
                     _ body: (TestServer) async throws -> Void) async throws {
        let server = TestServer(running: try await ServeRunner.start(configuration: try configuration(yaml, path: path), port: port))
        do {
            try await body(server)
        } catch {
            await server.running.stop()
            throw error
        }
        await server.running.stop()
    }

    /// Runs `body` against `running` (started with options of its own), stopping it afterwards whatever happens.
    static func with(running: RunningServer, _ body: (TestServer) async throws -> Void) async throws {
        do {
            try await body(TestServer(running: running))
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    /// `yaml` loaded as if it were the file at `path`.
    static func configuration(_ yaml: String = testConfiguration, path: String = "serve.yaml") throws -> ServeConfiguration {
        let (root, source) = try YAMLLoader().parse(Array(yaml.utf8), file: path)
        return try ServeConfiguration(root: root, source: source, path: path)
    }

    /// A reply: status, JSON body (empty when not an object) and headers.
    struct Reply {
        let status: Int
        let json: [String: JSONValue]
        let headers: [(name: String, value: String)]
        /// The body as text.
        var text = ""
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        subscript(key: String) -> JSONValue? { json[key] }
    }

    /// `POST path` with a form body; `basic` adds RFC 6749 §2.3.1 Basic credentials.
    func post(_ path: String, _ form: [(String, String)], basic: (id: String, secret: String)? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var allHeaders = headers.merging(["Content-Type": "application/x-www-form-urlencoded"]) { mine, _ in mine }
        if let basic {
            allHeaders["Authorization"] = ClientAuthentication.basicHeader(clientID: basic.id, secret: Secret(basic.secret))
        }
        return try await send("POST", path, body: FormEncoding.body(form.map { (name: $0.0, value: $0.1) }), headers: allHeaders)
    }

    /// `GET path`, with a Bearer token when given.
    func get(_ path: String, bearer: String? = nil) async throws -> Reply {
        try await send("GET", path, body: nil, headers: bearer.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    /// One client for every test; a refused connection fails at once instead of being retried until the deadline.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends one request with AsyncHTTPClient (an independent client: URLSession on Linux stalls on a
    /// `WWW-Authenticate: Basic` challenge, which RFC 6749 §5.2 makes the server send).
    func send(_ method: String, _ path: String, body: String?, headers: [String: String]) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(10))
        let data = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), json: JSONValue.parse(Data(data.readableBytesView))?.object ?? [:],
                     headers: response.headers.map { ($0.name, $0.value) }, text: String(decoding: data.readableBytesView, as: UTF8.self))
    }

    /// A password grant at `server` for testuser1 by the confidential client.
    func passwordGrant(server: String = "default", scope: String = "openid profile email offline_access api:read") async throws -> Reply {
        try await post(tokenPath(server), [("grant_type", "password"), ("username", "testuser1@example.com"),
                                           ("password", "Passw0rd!"), ("scope", scope)], basic: confidential)
    }

    /// The token endpoint path of `server` in Okta's layout.
    func tokenPath(_ server: String = "default") -> String { server == "org" ? "/oauth2/v1/token" : "/oauth2/\(server)/v1/token" }
}

/// The claims of the JWT in a reply member, decoded without verification.
func jwtClaims(_ value: JSONValue?) throws -> [String: JSONValue] {
    let token = try #require(value?.string)
    return try #require(JWTParts(token)).claims
}
