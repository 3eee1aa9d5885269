public import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

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
        /// The `--verbose` trace, if on.
        public var trace: HTTPTrace?
        /// Creates default options.
        public init() {}
    }

    private let options: Options
    private let clients: [String: HTTPClient]
    private let direct: HTTPClient

    /// Creates the transport; call `shutdown()` when done.
    public init(options: Options) throws {
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if let bundle = options.environment["SSL_CERT_FILE"], !bundle.isEmpty {
            tls.trustRoots = .file(bundle)
        }
        if let caFile = options.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw AuthFlowError(.noInput, "tls.ca_file \(caFile) cannot be read", hint: "check the path (relative paths start at the profile file's folder)")
            }
            tls.additionalTrustRoots = [.file(caFile)]
        }
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
        var clients: [String: HTTPClient] = [:]
        for scheme in ["http", "https"] {
            if let proxy = ProxySettings.proxy(forScheme: scheme, environment: options.environment) { clients[scheme] = make(proxy) }
        }
        self.clients = clients
    }

    /// Closes every connection.
    public func shutdown() async {
        try? await direct.shutdown()
        for client in clients.values { try? await client.shutdown() }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let scheme = request.url.scheme?.lowercased() ?? "https"
        let host = request.url.host ?? ""
        let client = ProxySettings.bypasses(host: host, environment: options.environment) ? direct : (clients[scheme] ?? direct)
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        options.trace?.request(request)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let response = try await client.execute(outgoing, timeout: .init(options.timeout))
            let body = try await response.body.collect(upTo: options.maxBodyBytes)
            let result = HTTPResponse(status: Int(response.status.code),
                                      headers: response.headers.map { ($0.name, $0.value) },
                                      body: Data(body.readableBytesView))
            options.trace?.response(result, for: request, elapsed: clock.now - started)
            return result
        } catch let error as NIOTooManyBytesError {
            _ = error
            let failure = AuthFlowError(.protocolError, "the response from \(host) is larger than \(options.maxBodyBytes) bytes", hint: "check that the URL is a token endpoint")
            options.trace?.failure(failure, for: request)
            throw failure
        } catch {
            let failure = AuthFlowError(.unavailable, "cannot reach \(request.url.absoluteString): \(Self.describe(error, timeout: options.timeout))",
                                        hint: "check the address, the network and any proxy settings; the server may be down")
            options.trace?.failure(failure, for: request)
            throw failure
        }
    }

    /// A short reason for a connection failure.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout: return "no answer within \(timeout)"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        if error is NIOSSLError || String(reflecting: error).contains("NIOSSL") {
            return "TLS failed (\(String(describing: error).sanitizedForTerminal(limit: 200)))"
        }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        return text.sanitizedForTerminal(limit: 200)
    }
}

/// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, as curl reads them.
enum ProxySettings {
    static func proxy(forScheme scheme: String, environment: [String: String]) -> HTTPClient.Configuration.Proxy? {
        let names = scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let value = names.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        guard let url = URL(string: value.contains("://") ? value : "http://\(value)"), let host = url.host else { return nil }
        let port = url.port ?? 80
        if let user = url.user {
            return .server(host: host, port: port, authorization: .basic(username: user.removingPercentEncoding ?? user, password: url.password?.removingPercentEncoding ?? ""))
        }
        return .server(host: host, port: port)
    }

    static func bypasses(host: String, environment: [String: String]) -> Bool {
        guard let value = ["NO_PROXY", "no_proxy"].compactMap({ environment[$0] }).first else { return false }
        let target = host.lowercased()
        for entry in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "*" { return true }
            let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if target == bare || target.hasSuffix("." + bare) { return true }
        }
        return false
    }
}
