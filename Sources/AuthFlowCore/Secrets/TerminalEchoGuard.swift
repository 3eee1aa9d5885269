import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal's settings back when SIGINT, SIGTERM or SIGHUP ends the process while a prompt
/// has echo off; without it Ctrl-C at a password prompt leaves the user's shell typing blind.
///
/// A signal handler can only reach global state, so this is the one place that keeps some: the
/// descriptor and the saved settings, written before the handlers go in and only read by them.
/// The handler calls only async-signal-safe functions (tcsetattr, write, sigaction, raise), then
/// hands the signal to whatever handled it before, so the process still dies of it (or `exec`'s
/// and `serve`'s own handling still runs).
enum TerminalEchoGuard {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    nonisolated(unsafe) private static var descriptor: Int32 = -1
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var previous: [sigaction] = [.init(), .init(), .init()]

    /// Runs `body` with the terminal `fd` in `silent` settings, restoring `original` afterwards,
    /// on a thrown error, and on any of the three signals.
    static func with<T>(_ fd: Int32, original: termios, silent: termios, _ body: () throws -> T) rethrows -> T {
        descriptor = fd
        saved = original
        // Touch the table once here so the handler never runs a lazy initializer.
        _ = previous.count
        for (index, signal) in signals.enumerated() {
            var action: sigaction = .init()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, &previous[index])
            if isIgnored(previous[index]) {
                // An ignored signal (nohup, a background job) stays ignored.
                sigaction(signal, &previous[index], nil)
            }
        }
        var silent = silent
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            var original = original
            tcsetattr(fd, TCSAFLUSH, &original)
            for (index, signal) in signals.enumerated() {
                sigaction(signal, &previous[index], nil)
            }
            descriptor = -1
        }
        return try body()
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
        let current = action.__sigaction_handler.sa_handler
        #else
        let current = action.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(current, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Restores the terminal, then re-delivers the signal to the handler that was there before.
    private static let handler: @convention(c) (Int32) -> Void = { signal in
        let fd = TerminalEchoGuard.descriptor
        if fd >= 0 {
            tcsetattr(fd, TCSANOW, &TerminalEchoGuard.saved)
            _ = write(fd, "\n", 1)
        }
        if let index = TerminalEchoGuard.signals.firstIndex(of: signal) {
            sigaction(signal, &TerminalEchoGuard.previous[index], nil)
        }
        raise(signal)
    }
}
