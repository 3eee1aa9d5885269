public import AuthFlowCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs `authflow serve`: the authorization server on a loopback HTTP port.
public enum ServeRunner {
    /// Serves until SIGINT or SIGTERM, then stops gracefully and returns.
    ///
    /// Secrets are resolved and the signing key made before the port is opened, so a bad
    /// configuration fails fast. `onReady` is called once, with the bound port, when the socket
    /// accepts connections; `log` gets one line per request and any server warning.
    /// - Parameters:
    ///   - host: The address to listen on (`127.0.0.1` by default); URLs and issuers use it, unless it is every interface (`0.0.0.0`, `::`).
    ///   - port: The TCP port; 0 picks a free one.
    ///   - publicURL: The base URL clients use (`https://auth.dev.example:8443`), advertised in discovery and tokens' `iss`
    ///     instead of the listening address: the server may sit behind a proxy, or listen on every interface.
    ///   - resolver: Resolves the file's secret references; default: the process environment, relative to the file's folder.
    public static func run(configuration: ServeConfiguration, host: String = "127.0.0.1", port: Int = 0, publicURL: String? = nil, resolver: SecretResolver? = nil,
                           onReady: @escaping @Sendable (Int) -> Void, log: @escaping @Sendable (String) -> Void) async throws {
        let group = try await serviceGroup(configuration: configuration, host: host, port: port, publicURL: publicURL, resolver: resolver,
                                           signals: [.sigint, .sigterm], onReady: onReady, log: log)
        try await run(group, host: host, port: port)
    }

    /// Starts the server in a task of its own and returns once it accepts connections; for tests
    /// and tools that embed the server. Stop it with `RunningServer.stop()`.
    /// `idleTimeout` closes a connection that sends nothing for that long.
    public static func start(configuration: ServeConfiguration, host: String = "127.0.0.1", port: Int = 0, publicURL: String? = nil, resolver: SecretResolver? = nil,
                             idleTimeout: Duration = defaultIdleTimeout, log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = try await serviceGroup(configuration: configuration, host: host, port: port, publicURL: publicURL, resolver: resolver, signals: [], idleTimeout: idleTimeout,
                                           onReady: { continuation.yield($0) }, log: log)
        let task = Task {
            defer { continuation.finish() }
            try await run(group, host: host, port: port)
        }
        for await bound in ports {
            return RunningServer(port: bound, baseURL: advertisedURL(host: host, port: bound, publicURL: publicURL), group: group, task: task)
        }
        try await task.value
        throw AuthFlowError(.internalError, "the server on \(host):\(port) stopped before it was ready")
    }

    /// How long a connection may send nothing before the server closes it: a client that opens
    /// connections and sends nothing must not hold them (and the server's descriptors) for ever.
    public static let defaultIdleTimeout: Duration = .seconds(30)

    private static func serviceGroup(configuration: ServeConfiguration, host: String, port: Int, publicURL: String?, resolver: SecretResolver?, signals: [UnixSignal],
                                     idleTimeout: Duration = defaultIdleTimeout,
                                     onReady: @escaping @Sendable (Int) -> Void, log: @escaping @Sendable (String) -> Void) async throws -> ServiceGroup {
        guard (0...65535).contains(port) else {
            throw AuthFlowError(.usage, "port \(port) is out of range", hint: "use 0 to 65535; 0 picks a free port")
        }
        let resolver = resolver ?? SecretResolver(environment: ProcessInfo.processInfo.environment, baseDirectory: configuration.directory, warn: log)
        let server = try await AuthorizationServer(configuration: configuration, resolver: resolver)
        let logger = LogForwarder.logger(log)
        let responder = ServeResponder(server: server, host: host, publicURL: publicURL, log: log)
        let idle = TimeAmount.nanoseconds(idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000)
        let app = Application(responder: responder, server: .http1(configuration: .init(idleTimeout: idle)),
                              configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "authflow"),
                              onServerRunning: { channel in onReady(channel.localAddress?.port ?? port) }, logger: logger)
        var settings = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: signals, logger: logger)
        settings.maximumGracefulShutdownDuration = .seconds(5)
        return ServiceGroup(configuration: settings)
    }

    /// The base URL the server advertises (discovery, tokens' `iss`): `publicURL` when given, else
    /// `http://HOST:PORT` — with `127.0.0.1` for every interface (`0.0.0.0`, `::`), which no client can connect to.
    public static func advertisedURL(host: String, port: Int, publicURL: String?) -> String {
        if let publicURL { return publicURL }
        return baseURL(host: isEveryInterface(host) ? "127.0.0.1" : host, port: port)
    }

    /// `0.0.0.0`, `::`: listening on every interface.
    public static func isEveryInterface(_ host: String) -> Bool {
        ["0.0.0.0", "::", "[::]"].contains(host)
    }

    /// `http://HOST:PORT`, the server's base URL and org issuer; an IPv6 host is bracketed.
    public static func baseURL(host: String, port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    private static func run(_ group: ServiceGroup, host: String, port: Int) async throws {
        do {
            try await group.run()
        } catch {
            throw explain(error, host: host, port: port)
        }
    }

    /// The listening failure in words: NIO's raw text ("bind(descriptor:ptr:bytes:): Address already
    /// in use) (errno: 98)") says what happened only to someone who reads errno values.
    static func explain(_ error: any Error, host: String, port: Int) -> AuthFlowError {
        let text = String(describing: error)
        if let io = error as? IOError, io.errnoCode == EADDRINUSE || text.contains("Address already in use") {
            return AuthFlowError(.unavailable, "port \(port) is in use on \(host)", hint: "use --port N for another port, or --port 0 for a free one (with --port-file FILE to learn which)")
        }
        if let io = error as? IOError, io.errnoCode == EADDRNOTAVAIL {
            return AuthFlowError(.unavailable, "cannot listen on \(host): no interface of this machine has that address",
                                 hint: "use --host 127.0.0.1 (this machine only), or an address of this machine (ip addr)")
        }
        if error is SocketAddressError || text.contains("UnknownHost") {
            return AuthFlowError(.usage, "--host '\(host.sanitizedForTerminal())' is not an address of this machine",
                                 hint: "use --host 127.0.0.1 (this machine only), ::1, 0.0.0.0 (every interface), or an address of this machine")
        }
        return AuthFlowError(.unavailable, "cannot serve on \(host):\(port): \(text.sanitizedForTerminal())",
                             hint: port == 0 ? "check --host" : "another process may be using port \(port); try --port 0 for a free one")
    }
}

/// A server started with `ServeRunner.start`.
public struct RunningServer: Sendable {
    /// The bound TCP port.
    public let port: Int
    /// The server's base URL, `http://HOST:PORT` or the public URL: the org issuer, and the `domain` of a profile.
    public let baseURL: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(port: Int, baseURL: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.baseURL = baseURL
        self.group = group
        self.task = task
    }

    /// Stops accepting connections, finishes the requests in flight, and waits until the server is down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
