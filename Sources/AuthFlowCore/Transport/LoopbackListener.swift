import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The one-shot HTTP listener on `127.0.0.1` that receives the browser's redirect (RFC 8252 §7.3).
/// It answers `GET /callback` with a small page, hands over the query, and is closed right after;
/// other paths get 404, and nothing but loopback is ever bound.
public final class LoopbackListener: Sendable {
    /// The bound port.
    public let port: Int
    private let channel: any Channel
    private let stream: AsyncStream<String>

    private init(port: Int, channel: any Channel, stream: AsyncStream<String>) {
        self.port = port
        self.channel = channel
        self.stream = stream
    }

    /// Binds `127.0.0.1:port` (0: any free port). `page` is what the browser sees after the redirect.
    public static func start(port: Int = 0, page: String) async throws -> LoopbackListener {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(CallbackHandler(page: page, deliver: { continuation.yield($0) }))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            guard let bound = channel.localAddress?.port else { throw AuthFlowError(.internalError, "the loopback listener has no port") }
            return LoopbackListener(port: bound, channel: channel, stream: stream)
        } catch let error as AuthFlowError {
            throw error
        } catch {
            throw AuthFlowError(.usage, "cannot listen on 127.0.0.1:\(port) for the browser's redirect: \(error)",
                                hint: port == 0 ? "check that loopback networking works" : "grant.redirect_port \(port) is taken; choose another or remove it")
        }
    }

    /// The query of the first `GET /callback`, or a timeout error after `timeout`.
    public func callbackQuery(timeout: Duration) async throws -> String {
        let stream = self.stream
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                for await query in stream { return query }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let query = first else {
                throw AuthFlowError(.refused, "no sign-in arrived within \(timeout.components.seconds) s", hint: "run the command again and finish the sign-in in the browser")
            }
            return query
        }
    }

    /// Closes the listener.
    public func close() async {
        try? await channel.close()
    }
}

/// Answers one request: the page for `/callback`, 404 otherwise.
private final class CallbackHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let page: String
    let deliver: @Sendable (String) -> Void
    private var head: HTTPRequestHead?

    init(page: String, deliver: @escaping @Sendable (String) -> Void) {
        self.page = page
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let isCallback = head.method == .GET && parts.first == "/callback"
            let body = isCallback ? page : "Not found\n"
            var headers = HTTPHeaders([("Content-Type", isCallback ? "text/html; charset=utf-8" : "text/plain"), ("Content-Length", String(body.utf8.count)),
                                       ("Connection", "close"), ("Cache-Control", "no-store")])
            headers.add(name: "Content-Security-Policy", value: "default-src 'none'")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: isCallback ? .ok : .notFound, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            // Close once the response is out: the promise completes on the channel's event loop, where the context belongs.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
            if isCallback { deliver(parts.count > 1 ? String(parts[1]) : "") }
            self.head = nil
        }
    }
}
