public import Foundation

/// Retries connection failures, 5xx and 429 with jittered exponential backoff, honouring
/// `Retry-After` (seconds or HTTP date) up to 30 s. 4xx answers are returned at once.
/// A request carrying a single-use credential is sent again only when it certainly never
/// reached the server (connection refused, no such host, a failed TLS handshake) or when the
/// server said it did not act on it (429, 503). A request with a `renewal` is built anew for
/// each further attempt.
public struct RetryingTransport: HTTPTransport {
    /// The transport that does the work.
    public let base: any HTTPTransport
    /// Retries after the first attempt.
    public let retries: Int
    /// The first backoff step.
    public let initialDelay: Duration
    /// Where waits go; tests pass one that does not sleep.
    public let sleep: @Sendable (Duration) async throws -> Void
    /// Told about each wait before it starts, with its reason (the CLI shows it on stderr).
    public let announce: @Sendable (Wait) -> Void

    /// The longest wait a `Retry-After` gets.
    public static let retryAfterCap: Duration = .seconds(30)

    /// Wraps `base`.
    public init(base: any HTTPTransport, retries: Int, initialDelay: Duration = .milliseconds(250),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                announce: @escaping @Sendable (Wait) -> Void = { _ in }) {
        self.base = base
        self.retries = retries
        self.initialDelay = initialDelay
        self.sleep = sleep
        self.announce = announce
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var attempt = 0
        var current = request
        while true {
            let wait: Wait
            let next = "attempt \(attempt + 2) of \(retries + 1)"
            do {
                var response = try await base.send(current)
                response.attempts = attempt + 1
                if attempt > 0, request.renewal != nil { response.renewedSecrets = current.secrets }
                guard attempt < retries, Self.retryable(response.status, singleUse: request.singleUse != nil) else { return response }
                let reason = switch response.status {
                case 429: "rate limited by the server (429)"
                case 503: "the server is unavailable (503)"
                default: "the server answered \(response.status)"
                }
                if let asked = Self.retryAfter(response.header("Retry-After"), cap: nil) {
                    let capped = asked > Self.retryAfterCap
                    wait = .retry(reason, after: min(asked, Self.retryAfterCap),
                                  detail: capped ? "(server asked \(Wait.describe(asked)), capped; \(next))" : "(as the server asked; \(next))")
                } else {
                    wait = .retry(reason, after: backoff(attempt), detail: "(\(next))")
                }
            } catch let error as AuthFlowError where error.kind == .unavailable {
                if let credential = request.singleUse, error.mayHaveReachedServer { throw Self.notResent(error, credential: credential) }
                guard attempt < retries else {
                    guard attempt > 0 else { throw error }
                    throw AuthFlowError(error.kind, "\(error.message) (\(attempt + 1) attempts)", hint: error.hint, details: error.details,
                                        mayHaveReachedServer: error.mayHaveReachedServer)
                }
                wait = .retry(error.message, after: backoff(attempt), detail: "(\(next))")
            }
            announce(wait)
            try await sleep(wait.duration)
            attempt += 1
            if let renewal = request.renewal { current = try await renewal() }
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

    /// The wait a `Retry-After` value asks for, capped at `cap` (30 s; nil: as asked); nil when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Date = Date(), cap: Duration? = retryAfterCap) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let cap = cap ?? .seconds(Int64.max / 2)
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
