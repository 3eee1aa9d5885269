import AuthFlowCore
import HTTPTypes
import Hummingbird
import NIOCore

/// A request context that remembers the port the connection came in on, so issuer URLs name
/// the port actually bound (with `--port 0` it is known only after binding).
struct ServeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let localPort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        localPort = source.channel.localAddress?.port
    }
}

/// Adapts `AuthorizationServer` to Hummingbird: collects the body, answers, logs one line.
struct ServeResponder: HTTPResponder {
    let server: AuthorizationServer
    /// The host listened on, which issuer URLs name unless `publicURL` is given.
    let host: String
    /// The base URL clients use, when it is not the listening address.
    let publicURL: String?
    let log: @Sendable (String) -> Void

    /// Token requests are a few hundred bytes; anything far larger is refused unread.
    static let maxBodySize = 64 * 1024

    func respond(to request: Request, context: ServeRequestContext) async throws -> Response {
        var request = request
        let path = request.uri.path
        let answer: EndpointResponse
        if let body = try? await request.collectBody(upTo: Self.maxBodySize) {
            let exchange = EndpointRequest(method: request.method.rawValue, path: path,
                                           headers: request.headers.map { ($0.name.rawName, $0.value) }, body: String(buffer: body),
                                           query: request.uri.query ?? "")
            answer = await server.respond(to: exchange, base: ServeRunner.advertisedURL(host: host, port: context.localPort ?? 0, publicURL: publicURL))
        } else {
            answer = OAuthError(status: 413, code: "invalid_request", description: "The request body is larger than \(Self.maxBodySize) bytes.").response
        }
        log("\(request.method.rawValue) \(path) \(answer.status)\(answer.error.map { " \($0)" } ?? "")".sanitizedForTerminal(limit: 300))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
