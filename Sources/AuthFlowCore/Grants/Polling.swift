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
    init(_ response: HTTPResponse) {
        guard (400..<500).contains(response.status), let code = JSONValue.parse(response.body)?.object?["error"]?.string else {
            self = .final
            return
        }
        switch code {
        case "authorization_pending": self = .pending
        case "slow_down": self = .slowDown
        default: self = .error(code)
        }
    }
}
