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
