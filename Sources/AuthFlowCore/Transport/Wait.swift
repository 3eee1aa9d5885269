public import Foundation

/// A wait worth telling the user about: a retry after a failure or a rate limit, or a poll for
/// someone's approval. The library only describes it; the CLI shows it on stderr (a live countdown
/// on a terminal, one line per event otherwise).
public struct Wait: Sendable {
    /// What is being waited for.
    public enum Kind: Sendable {
        /// Before another attempt of a request.
        case retry
        /// Between polls of a sign-in or second factor someone has to approve.
        case poll
    }

    /// Retry or poll.
    public let kind: Kind
    /// Why, in words: `rate limited by the server (429)`, `waiting for approval at example.com`.
    public let reason: String
    /// How long this wait lasts.
    public let duration: Duration
    /// For a retry: words after the delay, such as `(server asked 120 s, capped)`.
    public let detail: String
    /// For a poll: when what is awaited expires (the time left is shown).
    public let deadline: Date?

    /// A wait before retrying.
    public static func retry(_ reason: String, after duration: Duration, detail: String) -> Wait {
        Wait(kind: .retry, reason: reason, duration: duration, detail: detail, deadline: nil)
    }

    /// A wait before the next poll, for something that expires at `deadline`.
    public static func poll(_ reason: String, after duration: Duration, until deadline: Date) -> Wait {
        Wait(kind: .poll, reason: reason, duration: duration, detail: "", deadline: deadline)
    }

    /// The line to show with `remaining` of this wait left, at `now`:
    /// `rate limited by the server (429); retrying in 30 s (server asked 120 s, capped)`,
    /// `waiting for approval at example.com (9 min 45 s left)`.
    public func line(remaining: Duration, now: Date = Date()) -> String {
        switch kind {
        case .retry:
            return "\(reason); retrying in \(Self.describe(remaining))" + (detail.isEmpty ? "" : " \(detail)")
        case .poll:
            let left = max(0, (deadline ?? now).timeIntervalSince(now))
            return "\(reason) (\(Self.describe(.milliseconds(Int64(left * 1000)))) left)"
        }
    }

    /// `250 ms`, `1.5 s`, `30 s`, `2 min`, `9 min 45 s`: whole seconds from 10 s on.
    public static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 10 {
            let tenths = (seconds * 10).rounded() / 10
            return tenths == tenths.rounded() ? "\(Int(tenths)) s" : "\(tenths) s"
        }
        let whole = Int(seconds.rounded())
        guard whole >= 60 else { return "\(whole) s" }
        return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }
}
