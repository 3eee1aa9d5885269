import AuthFlowCore
import Foundation

/// The tests' one in-memory transport: answers each request with `respond` and records what was
/// sent. A script of answers, a JWKS that rotates, a server that fails are all ways to respond.
class FakeTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [TransportRequest] = []
    private var respond: (TransportRequest) throws -> TransportResponse

    /// A transport that answers with `respond`.
    init(_ respond: @escaping (TransportRequest) throws -> TransportResponse) { self.respond = respond }

    /// A transport that gives `script`'s answers in order, then fails as an unreachable server.
    convenience init(script: [Result<TransportResponse, AuthFlowError>]) {
        var remaining = script
        self.init { _ in
            guard !remaining.isEmpty else { throw AuthFlowError(.unavailable, "script exhausted") }
            return try remaining.removeFirst().get()
        }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        try lock.withLock {
            requests.append(request)
            return try respond(request)
        }
    }

    /// Every request sent so far.
    var sent: [TransportRequest] { lock.withLock { requests } }

    /// Runs `body` under the lock `respond` runs under: for changing what it answers mid-test.
    func withLock<T>(_ body: () throws -> T) rethrows -> T { try lock.withLock(body) }
}

/// A JSON answer for a script.
func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Result<TransportResponse, AuthFlowError> {
    .success(TransportResponse(status: status, headers: headers, body: Data(body.utf8)))
}
