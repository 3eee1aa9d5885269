import AuthFlowCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows authflow's waits on stderr. On a terminal: one line rewritten every second (a
/// countdown), cleared when the wait ends or before anything else is written to stderr.
/// Otherwise (a log, CI): one line per event — every retry with its reason, the first wait for an
/// approval and then one every 15 s, or every wait with `--verbose`.
final class WaitAnnouncer: @unchecked Sendable {
    private let terminal: Bool
    private let verbose: Bool
    private let lock = NSLock()
    /// Which countdown may write: a newer wait or a `clear()` retires the older one.
    private var generation = 0
    private var lineShown = false
    private var lastPollLine: Date?

    init(terminal: Bool, verbose: Bool) {
        self.terminal = terminal
        self.verbose = verbose
    }

    /// stderr is a terminal that can rewrite a line.
    static func stderrIsTerminal(_ environment: [String: String]) -> Bool {
        isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
    }

    func announce(_ wait: Wait) {
        guard terminal else { return log(wait) }
        let mine: Int = lock.withLock {
            generation += 1
            return generation
        }
        let start = ContinuousClock.now
        Task.detached { [self] in
            while true {
                let remaining = wait.duration - (ContinuousClock.now - start)
                guard remaining > .zero else { break }
                // Whole seconds count down as 3 s, 2 s, 1 s; a wait under a second shows as it is.
                let whole = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
                let shownLeft = wait.duration >= .seconds(1) ? Duration.seconds(whole.rounded(.up)) : remaining
                let shown = lock.withLock { () -> Bool in
                    guard generation == mine else { return false }
                    write("\r\u{1B}[K" + "authflow: " + wait.line(remaining: shownLeft))
                    lineShown = true
                    return true
                }
                guard shown else { return }
                try? await Task.sleep(for: min(remaining, .seconds(1)))
            }
            lock.withLock { if generation == mine { eraseLine() } }
        }
    }

    /// Removes the countdown line, if any: call before writing anything else to stderr.
    func clear() {
        guard terminal else { return }
        lock.withLock {
            generation += 1
            eraseLine()
        }
    }

    /// One line for a log: every retry; a poll when it is the first, 15 s after the last shown, or with `--verbose`.
    private func log(_ wait: Wait) {
        let now = Date()
        let show: Bool = lock.withLock {
            guard wait.kind == .poll, !verbose else { return true }
            if let last = lastPollLine, now.timeIntervalSince(last) < 15 { return false }
            lastPollLine = now
            return true
        }
        if show { write("authflow: " + wait.line(remaining: wait.duration, now: now) + "\n") }
    }

    /// Erases the countdown line; the caller holds the lock.
    private func eraseLine() {
        if lineShown { write("\r\u{1B}[K") }
        lineShown = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
