public import Foundation

/// Retries connection failures, 5xx and 429 with jittered exponential backoff, honouring
/// `Retry-After` (seconds or HTTP date) up to 30 s. 4xx answers are returned at once.
/// A request carrying a single-use credential is sent again only when it certainly never
/// reached the server (connection refused, no such host, a failed TLS handshake) or when the
/// server said it did not act on it (429, 503).
public struct RetryingTransport: HTTPTransport {
    /// The transport that does the work.
    public let base: any HTTPTransport
    /// Retries after the first attempt.
    public let retries: Int
    /// The first backoff step.
    public let initialDelay: Duration
    /// Where waits go; tests pass one that does not sleep.
    public let sleep: @Sendable (Duration) async throws -> Void

    /// Wraps `base`.
    public init(base: any HTTPTransport, retries: Int, initialDelay: Duration = .milliseconds(250),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.base = base
        self.retries = retries
        self.initialDelay = initialDelay
        self.sleep = sleep
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            let delay: Duration
            do {
                let response = try await base.send(request)
                guard attempt < retries, Self.retryable(response.status, singleUse: request.singleUse != nil) else { return response }
                delay = Self.retryAfter(response.header("Retry-After")) ?? backoff(attempt)
            } catch let error as AuthFlowError where error.kind == .unavailable {
                if let credential = request.singleUse, error.mayHaveReachedServer { throw Self.notResent(error, credential: credential) }
                guard attempt < retries else { throw error }
                delay = backoff(attempt)
            }
            try await sleep(delay)
            attempt += 1
        }
    }

    /// 429 and 5xx are worth another try; for a single-use credential only 429 and 503, the
    /// answers that say the server did not act on the request (RFC 6585 §4, RFC 9110 §15.6.4).
    static func retryable(_ status: Int, singleUse: Bool) -> Bool {
        status == 429 || status == 503 || (status >= 500 && !singleUse)
    }

    /// The failure of a request whose single-use credential may have reached the server.
    static func notResent(_ error: AuthFlowError, credential: String) -> AuthFlowError {
        AuthFlowError(.unavailable, "\(error.message), after the \(credential) was sent; authflow does not send it again, since the server may already have used it",
                      hint: "the server may have used the \(credential) already; run the command again to start over with a new one", mayHaveReachedServer: true)
    }

    private func backoff(_ attempt: Int) -> Duration {
        let full = initialDelay * (1 << min(attempt, 5))
        return full * Double.random(in: 0.5...1.0)
    }

    /// The wait a `Retry-After` value asks for, capped at 30 s; nil when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let cap: Duration = .seconds(30)
        if let seconds = Int(value), seconds >= 0 { return min(.seconds(seconds), cap) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return min(.milliseconds(Int64(seconds * 1000)), cap)
    }
}
