import AuthFlowCore
import Foundation
import Testing

@Suite struct RetryingTransportTests {
    let request = TransportRequest(method: "POST", url: URL(fileURLWithPath: "/token"))

    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Duration] = []
        func add(_ value: Duration) { lock.withLock { items.append(value) } }
        var all: [Duration] { lock.withLock { items } }
    }

    func retrying(_ transport: FakeTransport, retries: Int = 2, sleeps: Sleeps = Sleeps()) -> RetryingTransport {
        RetryingTransport(base: transport, retries: retries, sleep: { sleeps.add($0) })
    }

    @Test func retriesServerErrorsThenSucceeds() async throws {
        let transport = FakeTransport(script: [json(500, "x"), json(503, "x"), json(200, "{}")])
        let response = try await retrying(transport).send(request)
        #expect(response.status == 200)
        #expect(transport.sent.count == 3)
    }

    @Test func honoursRetryAfterSeconds() async throws {
        let sleeps = Sleeps()
        let transport = FakeTransport(script: [json(429, "", headers: [("Retry-After", "1")]), json(200, "{}")])
        _ = try await retrying(transport, sleeps: sleeps).send(request)
        #expect(sleeps.all == [.seconds(1)])
    }

    @Test func capsRetryAfterAndReadsHTTPDates() {
        #expect(RetryingTransport.retryAfter("3600") == .seconds(30))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryingTransport.retryAfter("Tue, 14 Nov 2023 22:13:25 GMT", now: now) == .seconds(5))
        #expect(RetryingTransport.retryAfter("soon") == nil)
    }

    @Test func doesNotRetryOAuthErrors() async throws {
        let transport = FakeTransport(script: [json(400, #"{"error":"invalid_grant"}"#), json(200, "{}")])
        let response = try await retrying(transport).send(request)
        #expect(response.status == 400)
        #expect(transport.sent.count == 1)
    }

    @Test func retriesConnectionFailuresThenGivesUp() async throws {
        let down = AuthFlowError(.unavailable, "connection refused")
        let transport = FakeTransport(script: [.failure(down), .failure(down), .failure(down), json(200, "{}")])
        let error = await #expect(throws: AuthFlowError.self) { try await retrying(transport).send(request) }
        #expect(error?.kind == .unavailable)
        #expect(transport.sent.count == 3)
    }

    @Test func backoffGrowsWithJitter() async throws {
        let sleeps = Sleeps()
        let transport = FakeTransport(script: [json(500, ""), json(500, ""), json(500, ""), json(200, "{}")])
        _ = try await retrying(transport, retries: 3, sleeps: sleeps).send(request)
        let waits = sleeps.all
        #expect(waits.count == 3)
        #expect(waits[0] >= .milliseconds(125) && waits[0] <= .milliseconds(250))
        #expect(waits[2] >= .milliseconds(500) && waits[2] <= .milliseconds(1000))
    }

    @Test func formEncodingRoundTrips() {
        #expect(FormEncoding.encode("a b&c=d/é") == "a+b%26c%3Dd%2F%C3%A9")
        #expect(FormEncoding.decode("a=b+c&d=%2F").map { "\($0.name)=\($0.value)" } == ["a=b c", "d=/"])
    }
}

/// A request with a single-use credential (an authorization code, a rotating refresh token) is
/// sent again only when it certainly never reached the server.
@Suite struct SingleUseRetryTests {
    let request = TransportRequest(method: "POST", url: URL(fileURLWithPath: "/token"), singleUse: "authorization code")
    let lost = AuthFlowError(.unavailable, "no answer from /token: the server closed the connection", mayHaveReachedServer: true)

    func retrying(_ transport: any HTTPTransport, retries: Int = 2) -> RetryingTransport {
        RetryingTransport(base: transport, retries: retries, sleep: { _ in })
    }

    @Test func aLostAnswerIsNotResent() async throws {
        let transport = FakeTransport(script: [.failure(lost), json(200, "{}")])
        let error = await #expect(throws: AuthFlowError.self) { try await retrying(transport).send(request) }
        #expect(transport.sent.count == 1)
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("after the authorization code was sent; authflow does not send it again") == true, "\(String(describing: error))")
        #expect(error?.mayHaveReachedServer == true)
    }

    @Test func aLostAnswerIsExplainedEvenWithoutRetries() async throws {
        let transport = FakeTransport(script: [.failure(lost)])
        let error = await #expect(throws: AuthFlowError.self) { try await retrying(transport, retries: 0).send(request) }
        #expect(error?.message.contains("after the authorization code was sent") == true)
    }

    @Test func aRequestThatNeverLeftIsRetried() async throws {
        let refused = AuthFlowError(.unavailable, "cannot reach /token: connection refused")
        let transport = FakeTransport(script: [.failure(refused), json(200, "{}")])
        #expect(try await retrying(transport).send(request).status == 200)
        #expect(transport.sent.count == 2)
    }

    @Test func aRequestWithoutSingleUseCredentialIsRetriedAfterALostAnswer() async throws {
        let transport = FakeTransport(script: [.failure(lost), json(200, "{}")])
        let plain = TransportRequest(method: "POST", url: URL(fileURLWithPath: "/token"))
        #expect(try await retrying(transport).send(plain).status == 200)
        #expect(transport.sent.count == 2)
    }

    @Test("429 and 503 say the server did not act: retried; another 5xx may have used the code: not", arguments: [(429, 2), (503, 2), (500, 1), (502, 1), (504, 1)])
    func statusAnswers(status: Int, sent: Int) async throws {
        let transport = FakeTransport(script: [json(status, ""), json(200, "{}")])
        _ = try await retrying(transport).send(request)
        #expect(transport.sent.count == sent)
    }

    /// Counts what goes through to the real transport.
    final class Counting: HTTPTransport, @unchecked Sendable {
        let base: any HTTPTransport
        private let lock = NSLock()
        private var sends = 0
        init(_ base: any HTTPTransport) { self.base = base }
        var count: Int { lock.withLock { sends } }
        func send(_ request: TransportRequest) async throws -> TransportResponse {
            lock.withLock { sends += 1 }
            return try await base.send(request)
        }
    }

    @Test func aRefusedConnectionIsKnownNotToHaveLeft() async throws {
        // A port nobody listens on: bind one, note it, close it.
        let listener = try await LoopbackListener.start(port: 0, page: "")
        let port = listener.port
        await listener.close()
        let real = try AsyncHTTPTransport(options: AsyncHTTPTransport.Options())
        let counting = Counting(real)
        let request = TransportRequest(method: "POST", url: try #require(URL(string: "http://127.0.0.1:\(port)/token")), singleUse: "refresh token")
        let error = await #expect(throws: AuthFlowError.self) { try await retrying(counting, retries: 1).send(request) }
        await real.shutdown()
        #expect(counting.count == 2, "connection refused: the request never left, so it is retried")
        #expect(error?.mayHaveReachedServer == false)
        #expect(error?.message.contains("cannot reach") == true, "\(String(describing: error))")
    }
}

/// Each retry is announced before its wait, with the reason and how long.
@Suite struct RetryAnnouncementTests {
    final class Announcements: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Wait] = []
        func add(_ wait: Wait) { lock.withLock { items.append(wait) } }
        var all: [Wait] { lock.withLock { items } }
    }

    func send(_ script: [Result<TransportResponse, AuthFlowError>], retries: Int = 2) async throws -> (TransportResponse, [Wait]) {
        let announcements = Announcements()
        let transport = RetryingTransport(base: FakeTransport(script: script), retries: retries, sleep: { _ in }, announce: { announcements.add($0) })
        let response = try await transport.send(TransportRequest(method: "POST", url: URL(fileURLWithPath: "/token")))
        return (response, announcements.all)
    }

    @Test func aLongRetryAfterIsCappedAndSaysSo() async throws {
        let (response, waits) = try await send([json(429, "", headers: [("Retry-After", "120")]), json(200, "{}")])
        #expect(response.attempts == 2)
        #expect(waits.map(\.duration) == [.seconds(30)])
        #expect(waits.first?.line(remaining: .seconds(30)) == "rate limited by the server (429); retrying in 30 s (server asked 2 min, capped; attempt 2 of 3)")
    }

    @Test func aServerErrorWithoutRetryAfterUsesTheBackoff() async throws {
        let (_, waits) = try await send([json(502, ""), json(200, "{}")])
        #expect(waits.count == 1 && waits[0].kind == .retry)
        #expect(waits[0].line(remaining: .milliseconds(200)) == "the server answered 502; retrying in 200 ms (attempt 2 of 3)")
    }

    @Test func aConnectionFailureNamesItself() async throws {
        let (_, waits) = try await send([.failure(AuthFlowError(.unavailable, "cannot reach /token: connection refused")), json(200, "{}")])
        #expect(waits.first?.line(remaining: .seconds(1)) == "cannot reach /token: connection refused; retrying in 1 s (attempt 2 of 3)")
    }

    @Test func theLastAnswerIsReturnedWithItsAttempts() async throws {
        let (response, waits) = try await send([json(500, ""), json(500, "")], retries: 1)
        #expect(response.status == 500 && response.attempts == 2 && waits.count == 1)
    }

    @Test func pollsShowTheTimeLeft() {
        let now = Date(timeIntervalSince1970: 1000)
        let wait = Wait.poll("waiting for approval at example.com", after: .seconds(5), until: now.addingTimeInterval(585))
        #expect(wait.line(remaining: .seconds(5), now: now) == "waiting for approval at example.com (9 min 45 s left)")
        #expect(Wait.describe(.milliseconds(1500)) == "1.5 s" && Wait.describe(.seconds(120)) == "2 min" && Wait.describe(.seconds(42)) == "42 s")
    }
}
