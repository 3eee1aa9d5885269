import Foundation

/// What one poll of the token endpoint said, for the grants that wait for a person: the device
/// code (RFC 8628 §3.5) and an out-of-band second factor use the same answers.
enum PollAnswer: Equatable {
    /// `authorization_pending`: ask again after the interval.
    case pending
    /// `slow_down`: ask again, with the interval 5 s longer from now on.
    case slowDown
    /// Another OAuth error code, for the grant to judge.
    case error(String)
    /// Not an OAuth error: tokens, or an answer the token parser reports.
    case final

    /// Reads `response`.
    init(_ response: TransportResponse) {
        guard (400..<500).contains(response.status), let code = JSONValue.parse(response.body)?.object?["error"]?.string else {
            self = .final
            return
        }
        switch code {
        // Okta's Direct Authentication may spell its pending answer with a prefix.
        case "authorization_pending", "direct_auth_authorization_pending": self = .pending
        case "slow_down": self = .slowDown
        default: self = .error(code)
        }
    }
}

extension TokenClient {
    /// Sends `request()` to the token endpoint every `start` seconds (5 s more after each
    /// `slow_down`) while it answers `authorization_pending`, until `deadline` (then `expired`).
    /// `waitFirst` false sends the first poll at once; each wait is announced with `reason` and
    /// the time left. Returns the first other answer, with the request it answered, for the grant to judge.
    func pollTokenEndpoint(every start: TimeInterval, until deadline: Date, waitFirst: Bool = true, reason: String, expired: @autoclosure () -> AuthFlowError,
                           request: () async throws -> TransportRequest) async throws -> (request: TransportRequest, response: TransportResponse, answer: PollAnswer) {
        var interval = start
        var wait = waitFirst
        while true {
            if wait {
                let pause: Duration = .milliseconds(Int(interval * 1000))
                announce(.poll(reason, after: pause, until: deadline))
                try await sleep(pause)
            }
            wait = true
            guard now() < deadline else { throw expired() }
            let poll = try await request()
            let response = try await transport.send(poll)
            switch PollAnswer(response) {
            case .pending: continue
            case .slowDown: interval += DeviceCodeGrant.slowDownStep
            case let answer: return (poll, response, answer)
            }
        }
    }
}
