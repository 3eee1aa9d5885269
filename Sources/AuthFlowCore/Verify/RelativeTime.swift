public import Foundation

/// Times the way people read them: `2026-11-29 05:19:08 +01:00` and "in 53 min" / "7 min ago".
public struct RelativeTime: Sendable {
    /// The clock's now.
    public let now: Date
    /// The zone local times are shown in.
    public let timeZone: TimeZone

    /// Times relative to `now`, shown in `timeZone`.
    public init(now: Date, timeZone: TimeZone = .current) {
        self.now = now
        self.timeZone = timeZone
    }

    /// `2026-11-29 05:19:08 +01:00`.
    public func local(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxxxx"
        return formatter.string(from: date)
    }

    /// "in 53 min" or "7 min ago"; "now" within a second.
    public func relative(_ date: Date) -> String {
        let delta = date.timeIntervalSince(now)
        if abs(delta) < 1 { return "now" }
        return delta > 0 ? "in \(Self.span(delta))" : "\(Self.span(-delta)) ago"
    }

    /// A length of time, rounded down to what matters: `45 s`, `53 min`, `2 h 5 min`, `3 days`.
    public static func span(_ seconds: TimeInterval) -> String {
        let whole = Int(max(0, min(seconds, 1e12)).rounded(.down))
        switch whole {
        case ..<60: return "\(whole) s"
        case ..<3600: return "\(whole / 60) min"
        case ..<(48 * 3600):
            let minutes = whole % 3600 / 60
            return minutes == 0 ? "\(whole / 3600) h" : "\(whole / 3600) h \(minutes) min"
        default: return "\(whole / 86400) days"
        }
    }
}
