import AuthFlowCore
import Logging

/// Sends Hummingbird's and ServiceLifecycle's warnings and errors to the server's `log` closure,
/// so the library never writes to a stream itself.
struct LogForwarder: LogHandler {
    let log: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log("\(event.level): \(event.message)".sanitizedForTerminal(limit: 500))
    }

    /// A logger that forwards to `log`.
    static func logger(_ log: @escaping @Sendable (String) -> Void) -> Logger {
        Logger(label: "authflow.serve") { _ in LogForwarder(log: log) }
    }
}
