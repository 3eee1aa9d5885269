import AuthFlowCore
import Foundation

/// The tests' one in-memory transport: answers each request with `respond` and records what was
/// sent. A script of answers, a JWKS that rotates, a server that fails are all ways to respond.
class FakeTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [HTTPRequest] = []
    private var respond: (HTTPRequest) throws -> HTTPResponse

    /// A transport that answers with `respond`.
    init(_ respond: @escaping (HTTPRequest) throws -> HTTPResponse) { self.respond = respond }

    /// A transport that gives `script`'s answers in order, then fails as an unreachable server.
    convenience init(script: [Result<HTTPResponse, AuthFlowError>]) {
        var remaining = script
        self.init { _ in
            guard !remaining.isEmpty else { throw AuthFlowError(.unavailable, "script exhausted") }
            return try remaining.removeFirst().get()
        }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try lock.withLock {
            requests.append(request)
            return try respond(request)
        }
    }

    /// Every request sent so far.
    var sent: [HTTPRequest] { lock.withLock { requests } }

    /// Runs `body` under the lock `respond` runs under: for changing what it answers mid-test.
    func withLock<T>(_ body: () throws -> T) rethrows -> T { try lock.withLock(body) }
}

/// A JSON answer for a script.
func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Result<HTTPResponse, AuthFlowError> {
    .success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
}
