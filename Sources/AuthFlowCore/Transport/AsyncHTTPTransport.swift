import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real transport, on AsyncHTTPClient: TLS verification always on, optional extra CA,
/// proxies from the environment, no redirects, bounded time and body size.
public final class AsyncHTTPTransport: HTTPTransport {
    /// Settings for one profile's requests.
    public struct Options: Sendable {
        /// Connect timeout and whole-request deadline.
        public var timeout: Duration = .seconds(10)
        /// An extra CA bundle (PEM) to trust besides the system's.
        public var caFile: String?
        /// Largest response body accepted.
        public var maxBodyBytes = 1 << 20
        /// The environment, for proxies and `SSL_CERT_FILE`.
        public var environment: [String: String] = [:]
        /// A TLS client certificate (RFC 8705): the PEM chain's path and its resolved private key.
        public var clientCertificate: (chainFile: String, key: Secret)?
        /// The `--verbose` trace, if on.
        public var trace: HTTPTrace?
        /// Creates default options.
        public init() {}
    }

    private let options: Options
    private let clients: [String: HTTPClient]
    private let direct: HTTPClient
    /// Why no HTTPS request can be made (an unreadable `SSL_CERT_FILE`), raised by the first one:
    /// plain loopback HTTP still works.
    private let certificateProblem: AuthFlowError?
    /// Unusable proxy variables by scheme, raised by the first request that would use the proxy.
    private let proxyProblems: [String: AuthFlowError]
    /// The proxy of each scheme as messages name it (`HTTPS_PROXY=http://proxy:3128`).
    private let proxyNames: [String: String]

    /// Creates the transport; call `shutdown()` when done.
    public init(options: Options) throws {
        self.options = options
        var sslCertFile = options.environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let bundle = sslCertFile, !FileManager.default.isReadableFile(atPath: bundle) {
            certificateProblem = AuthFlowError(.noInput, "SSL_CERT_FILE=\(bundle.sanitizedForTerminal(limit: 200)) cannot be read, so no server certificate can be checked",
                                               hint: "point SSL_CERT_FILE at a readable PEM bundle of CA certificates, or unset it to use the system's")
            sslCertFile = nil
        } else {
            certificateProblem = nil
        }
        let tls = try TLSSetup.configuration(caFile: options.caFile, sslCertFile: sslCertFile, clientCertificate: options.clientCertificate)
        func make(_ proxy: HTTPClient.Configuration.Proxy?) -> HTTPClient {
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .init(options.timeout), read: .init(options.timeout)),
                proxy: proxy)
            configuration.httpVersion = .http1Only
            configuration.decompression = .disabled
            // RetryingTransport owns retries; the pool would otherwise retry a refused connection until the deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            // A CLI sends a handful of requests; a fresh connection each time rules out waiting on
            // one the server has already closed (device-code polls are minutes apart).
            configuration.maximumUsesPerConnection = 1
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        direct = make(nil)
        var clients: [String: HTTPClient] = [:], proxyProblems: [String: AuthFlowError] = [:], proxyNames: [String: String] = [:]
        for scheme in ["http", "https"] {
            switch ProxySettings.proxy(forScheme: scheme, environment: options.environment) {
            case .success(let choice)?:
                clients[scheme] = make(choice.proxy)
                proxyNames[scheme] = choice.shown
            case .failure(let problem)?: proxyProblems[scheme] = problem
            case nil: break
            }
        }
        self.clients = clients
        self.proxyProblems = proxyProblems
        self.proxyNames = proxyNames
    }

    /// Closes every connection.
    public func shutdown() async {
        try? await direct.shutdown()
        for client in clients.values { try? await client.shutdown() }
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let scheme = request.url.scheme?.lowercased() ?? "https"
        let host = request.url.host ?? ""
        let port = request.url.port ?? (scheme == "https" ? 443 : 80)
        let bypass = ProxySettings.direct(host: host, port: port, environment: options.environment)
        if scheme == "https", let certificateProblem { throw certificateProblem }
        if !bypass, let problem = proxyProblems[scheme] { throw problem }
        let client = bypass ? direct : (clients[scheme] ?? direct)
        let proxy = bypass ? nil : proxyNames[scheme]
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        options.trace?.request(request)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            // One deadline for the whole exchange, connect to the body's last byte: AsyncHTTPClient's
            // own covers the head only, and a server trickling a byte at a time would hold authflow
            // (and the cache lock) for as long as it likes.
            let maxBodyBytes = options.maxBodyBytes, timeout = options.timeout, sent = outgoing
            let result = try await Self.within(timeout) {
                let response = try await client.execute(sent, timeout: .init(timeout))
                let body = try await response.body.collect(upTo: maxBodyBytes)
                return TransportResponse(status: Int(response.status.code),
                                    headers: response.headers.map { ($0.name, $0.value) },
                                    body: Data(body.readableBytesView))
            }
            options.trace?.response(result, for: request, elapsed: clock.now - started)
            return result
        } catch let error as NIOTooManyBytesError {
            _ = error
            let failure = AuthFlowError(.protocolError, "the response from \(host) is larger than \(options.maxBodyBytes) bytes", hint: "check that the URL is a token endpoint")
            options.trace?.failure(failure, for: request)
            throw failure
        } catch {
            let failure: AuthFlowError
            let origin = "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)"
            // Through a proxy, the failure may be the proxy's: say which one was used.
            let via = proxy.map { " through the proxy \($0)" } ?? ""
            let hint = proxy.map { "check that the proxy (\($0)) is running and can reach the server, or list the host in NO_PROXY" }
                ?? "check the address, the network and any proxy settings; the server may be down"
            if let tls = TLSSetup.explain(error, host: host, origin: origin, presentedCertificate: options.clientCertificate != nil) {
                // A TLS failure after the handshake (an unclean shutdown) may follow the request.
                failure = AuthFlowError(tls.transient ? .unavailable : .tlsRefused, tls.message + (proxy.map { " (through the proxy \($0))" } ?? ""), hint: tls.hint,
                                        mayHaveReachedServer: !Self.failedBeforeSending(error))
            } else if Self.failedBeforeSending(error) {
                failure = AuthFlowError(.unavailable, "cannot reach \(request.url.absoluteString)\(via): \(Self.describe(error, timeout: options.timeout))", hint: hint)
            } else {
                failure = AuthFlowError(.unavailable, "no answer from \(request.url.absoluteString)\(via): \(Self.describe(error, timeout: options.timeout))",
                                        hint: hint, mayHaveReachedServer: true)
            }
            options.trace?.failure(failure, for: request)
            throw failure
        }
    }

    /// The request took longer than its timeout, from connecting to the end of the body.
    struct DeadlineExceeded: Error {}

    /// `operation`'s result, or `DeadlineExceeded` once `limit` has passed; the operation is cancelled then.
    static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw DeadlineExceeded() }
            return result
        }
    }

    /// True when `error` ended the exchange before any byte of the request left: no address, a
    /// refused or timed-out connect, a proxy or TLS handshake that failed. Each request has its own
    /// connection, so anything later (a reset, a closed connection, a timeout while waiting for
    /// the answer) may have followed the request to the server.
    static func failedBeforeSending(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError, is SocketAddressError: return true
        case let error as HTTPClientError:
            return [.connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout,
                    .proxyAuthenticationRequired, .invalidProxyResponse].contains(error)
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError:
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(error.errnoCode)
        case let error as NIOSSLError:
            if case .handshakeFailed = error { return true }
            return false
        case let error as NIOSSLExtraError:
            return error == .failedToValidateHostname
        default: return false
        }
    }

    /// A short reason for a connection failure.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if error is DeadlineExceeded { return "no complete answer within \(timeout.shortDescription)" }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout: return "no answer within \(timeout.shortDescription)"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .proxyAuthenticationRequired: return "the proxy asks for credentials (407); put them in the proxy URL, http://USER:PASSWORD@HOST:PORT"
            case .invalidProxyResponse: return "the proxy did not open a tunnel to the server (its CONNECT answer was not 200)"
            case .httpProxyHandshakeTimeout, .socksHandshakeTimeout: return "the proxy did not answer within \(timeout.shortDescription)"
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        return text.sanitizedForTerminal(limit: 200)
    }
}
