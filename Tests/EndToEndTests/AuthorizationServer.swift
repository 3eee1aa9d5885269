import Foundation
import Testing

/// A running authorization server with Okta's URL layout that the binary is tested against.
///
/// Test bodies only use this protocol, so every implementation runs the same tests:
/// `@Test(arguments: ServerKind.all)` runs once per kind.
protocol AuthorizationServerProcess: Sendable {
    var kind: ServerKind { get }
    /// `http://127.0.0.1:PORT`: the org server's issuer and the `domain` of profiles.
    var baseURL: URL { get }
    /// The users and clients this server knows.
    var fixture: ServerFixture { get }
    /// Request log and fault injection, when the server has them (`nil` otherwise).
    var admin: (any ServerAdmin)? { get }
    /// Stops the server (SIGTERM, then SIGKILL if it lingers).
    func stop() async
}

extension AuthorizationServerProcess {
    /// `http://127.0.0.1:PORT` without a trailing slash, for profile files.
    var base: String { baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString }

    /// The issuer of authorization server `id` (`org` or a custom server id).
    func issuer(_ id: String) -> String { id == "org" ? base : "\(base)/oauth2/\(id)" }

    /// The path of the token endpoint of authorization server `id`.
    func tokenPath(_ id: String) -> String { id == "org" ? "/oauth2/v1/token" : "/oauth2/\(id)/v1/token" }

    /// The admin API, or a failed requirement naming the server.
    func requireAdmin(sourceLocation: SourceLocation = #_sourceLocation) throws -> any ServerAdmin {
        try #require(admin, "\(kind) has no admin API", sourceLocation: sourceLocation)
    }
}

/// The known users, clients and authorization servers of a test server.
struct ServerFixture: Sendable {
    /// A confidential client allowed client_secret_basic and client_secret_post.
    var clientID: String
    var clientSecret: String
    /// A public client (auth `none`).
    var publicClientID: String
    var username: String
    var password: String
    /// Custom authorization server ids besides `org`.
    var customServers: [String]

    /// The data of `Servers/okta_authlib_server.py` (see its README).
    static let authlib = ServerFixture(
        clientID: "0oab8olIgVNOkztHm0h7", clientSecret: "s3cr3t/+= &%x", publicClientID: "public-cli",
        username: "testuser1@example.com", password: "Passw0rd!", customServers: ["default", "aus_custom1"])
}

/// The request log and fault injection of a test server.
protocol ServerAdmin: Sendable {
    /// Zeroes the counters, forgets the last request and drops queued faults.
    func reset() async throws
    /// Queues a fault for the next matching token requests.
    func inject(_ fault: Fault) async throws
    /// Counters and the last token request.
    func requests() async throws -> RecordedRequests
}

/// A fault the server plays instead of answering a token request normally.
struct Fault: Sendable, Encodable {
    var mode: String
    /// How many matching token requests it answers (-1: every one).
    var count: Int = 1
    /// Matching token requests let through normally first.
    var after: Int? = nil
    var seconds: Double? = nil
    var retry_after: String? = nil
    var path: String? = nil

    static func every(_ mode: String) -> Fault { Fault(mode: mode, count: -1) }
}

/// `GET /__admin/requests`.
struct RecordedRequests: Sendable, Decodable {
    struct Request: Sendable, Decodable {
        let method: String
        let path: String
        let headers: [String: String]
        let form: [String: String]
        let body: String

        /// A header by case-insensitive name.
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    let token_requests: Int
    let discovery_requests: Int
    let redirect_hits: Int
    let last: Request?
    /// The latest token, `/challenge` and `/primary-authenticate` requests, oldest first.
    let history: [Request]?
}

/// The server implementations the suite knows.
enum ServerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `Servers/okta_authlib_server.py`: Authlib's grant handling and client authentication.
    case authlib
    /// `authflow serve` with `Servers/serve-e2e.yaml` (the same users, clients and servers).
    case authflowServe

    /// Every kind; tests that only need a token endpoint run against all of them.
    static let all = allCases
    /// Kinds with the admin API (request log, faults).
    static let withAdmin: [ServerKind] = [.authlib]

    var testDescription: String { rawValue }

    /// Starts a fresh server of this kind.
    func launch() async throws -> any AuthorizationServerProcess {
        switch self {
        case .authlib: try await AuthlibServer.start()
        case .authflowServe:
            try await LaunchedServer.start(
                kind: .authflowServe, executable: try AuthFlowBinary.url(),
                arguments: ["serve", "--config", PackageLayout.servers.appendingPathComponent("serve-e2e.yaml").path, "--port", "0"],
                fixture: .authlib, makeAdmin: { _ in nil })
        }
    }
}

/// The servers of one suite, started on first use and stopped when the suite ends.
actor ServerPool {
    @TaskLocal static var current: ServerPool?

    private var servers: [ServerKind: Task<any AuthorizationServerProcess, any Error>] = [:]

    /// The suite's server of `kind`, started if needed.
    static func server(_ kind: ServerKind, sourceLocation: SourceLocation = #_sourceLocation) async throws -> any AuthorizationServerProcess {
        let pool = try #require(current, "the suite needs the .authorizationServers trait", sourceLocation: sourceLocation)
        return try await pool.server(kind)
    }

    func server(_ kind: ServerKind) async throws -> any AuthorizationServerProcess {
        if let existing = servers[kind] { return try await existing.value }
        let starting = Task { try await kind.launch() }
        servers[kind] = starting
        return try await starting.value
    }

    func stopAll() async {
        for task in servers.values {
            if let server = try? await task.value { await server.stop() }
        }
        servers.removeAll()
    }
}

/// Gives a suite its own servers: `@Suite(.authorizationServers)`. One server per kind is shared
/// by the suite's tests and stopped when the suite ends.
struct AuthorizationServersTrait: SuiteTrait, TestScoping {
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite && testCase == nil ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let pool = ServerPool()
        do {
            try await ServerPool.$current.withValue(pool) { try await function() }
        } catch {
            await pool.stopAll()
            throw error
        }
        await pool.stopAll()
    }
}

extension Trait where Self == AuthorizationServersTrait {
    /// The suite's tests share servers started on first use and stopped when the suite ends.
    static var authorizationServers: Self { Self() }
}
