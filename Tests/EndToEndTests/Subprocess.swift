import Foundation

/// What a finished child process left behind.
struct ProcessOutput: Sendable {
    /// The exit status, or the signal number when `signaled`.
    let status: Int32
    let signaled: Bool
    let stdout: Data
    let stderr: Data
    let duration: Duration
    /// The process outlived its timeout and was killed.
    let timedOut: Bool
}

/// Runs child processes with an explicit environment, no terminal on stdin, and a timeout.
///
/// stdout and stderr go to files rather than pipes, so a chatty child can never block on a full
/// pipe while we wait for it.
enum Subprocess {
    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` to completion (or kills it after `timeout`).
    static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String],
        directory: URL,
        timeout: Duration = .seconds(30)
    ) async throws -> ProcessOutput {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("authflow-e2e-out-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? outHandle.close(); try? errHandle.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle

        let child = ChildHandle(process)
        let clock = ContinuousClock(), start = clock.now
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try launch(process)
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: LaunchError(description: "cannot start \(executable.path): \(error)"))
                return
            }
            child.startWatchdog(after: timeout)
        }
        child.cancelWatchdog()
        return ProcessOutput(
            status: status,
            signaled: process.terminationReason == .uncaughtSignal,
            stdout: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: (try? Data(contentsOf: errURL)) ?? Data(),
            duration: clock.now - start,
            timedOut: child.timedOut
        )
    }

    /// Starts `process` with every signal unblocked, as a shell would.
    ///
    /// `Process` spawns from the calling thread and the child inherits that thread's signal mask;
    /// Swift concurrency runs us on dispatch worker threads, which block almost every signal, so
    /// a child started from here would otherwise ignore SIGTERM and SIGINT.
    static func launch(_ process: Process) throws {
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    /// The first executable called `name` on `PATH`.
    static func which(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        (path ?? "/usr/bin:/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// A started `Process` shared with a watchdog task; `Process` itself is not `Sendable`.
final class ChildHandle: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var watchdog: Task<Void, Never>?
    private var killed = false

    init(_ process: Process) { self.process = process }

    var timedOut: Bool { lock.withLock { killed } }
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// After `timeout`, SIGKILL the child if it is still running.
    func startWatchdog(after timeout: Duration) {
        let task = Task { [self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled, process.isRunning else { return }
            lock.withLock { killed = true }
            kill(process.processIdentifier, SIGKILL)
        }
        lock.withLock { watchdog = task }
    }

    func cancelWatchdog() {
        lock.withLock { watchdog }?.cancel()
    }
}
