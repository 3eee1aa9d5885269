import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a `command:` secret source: no shell, a time limit, stdout trimmed, stderr shown on failure.
///
/// The command runs in a process group of its own with nothing but its three standard streams:
/// at the time limit the whole group is killed, and output stops being read the moment the
/// command itself exits, so a background child it left holding the pipe (an agent, a `sleep &`)
/// cannot hold authflow. What it prints is capped at `Secret.maximumBytes`.
struct SecretCommand: Sendable {
    let argv: [String]
    let environment: [String: String]
    let directory: String
    let timeout: Duration

    func run(field: String) async throws -> Secret {
        guard let program = argv.first, let executable = locate(program) else {
            throw AuthFlowError(.secret, "\(field): command '\(argv.first ?? "")' was not found", hint: "install it or give its full path; commands run without a shell")
        }
        let outcome = try await Self.onOwnThread { try self.execute(executable, program: program, field: field) }
        switch outcome.end {
        case .timedOut:
            throw AuthFlowError(.secret, "\(field): command '\(program)' did not finish within \(timeout.shortDescription); it and its children were stopped",
                                hint: "check that it does not wait for input")
        case .tooMuchOutput:
            throw AuthFlowError(.secret, "\(field): command '\(program)' printed more than \(Secret.maximumBytes / 1024) KiB; it was stopped",
                                hint: "a secret is a line or a key, not a file's worth of output; check what the command prints")
        case .exited(let status) where status != 0:
            let text = String(decoding: outcome.errors, as: UTF8.self).sanitizedForTerminal(limit: 500)
            throw AuthFlowError(.secret, "\(field): command '\(program)' exited with status \(status)\(text.isEmpty ? "" : ": \(text)")",
                                hint: "run the command yourself to see what it needs")
        case .signalled(let signal):
            throw AuthFlowError(.secret, "\(field): command '\(program)' was killed by signal \(signal)", hint: "run the command yourself to see what happens")
        case .exited:
            break
        }
        let value = String(decoding: outcome.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw AuthFlowError(.secret, "\(field): command '\(program)' printed nothing", hint: "the command must print the secret on stdout")
        }
        return Secret(value)
    }

    /// How the command ended, and what it printed.
    struct Outcome: Sendable {
        enum End: Sendable { case exited(Int32), signalled(Int32), timedOut, tooMuchOutput }
        var end: End
        var output: [UInt8]
        var errors: [UInt8]
    }

    /// Starts the command and reads its output until it exits, the time is up or it prints too much.
    /// Blocking: runs on a thread of its own, never on a shared queue that a busy process could starve.
    private func execute(_ executable: String, program: String, field: String) throws -> Outcome {
        let out = try Self.makePipe(field: field), err = try Self.makePipe(field: field)
        defer { [out.read, err.read].forEach { _ = close($0) } }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if devNull >= 0 { close(devNull) } }
        let spawn = Spawn(program: executable, arguments: [program] + argv.dropFirst(), environment: environment, directory: directory,
                          standardInput: devNull >= 0 ? devNull : nil, standardOutput: out.write, standardError: err.write, newProcessGroup: true)
        let pid: pid_t
        do {
            pid = try spawn.start()
        } catch {
            close(out.write)
            close(err.write)
            throw AuthFlowError(.secret, "\(field): command '\(program)' could not start: \(error.reason)", hint: "check that it is executable")
        }
        close(out.write)
        close(err.write)

        let deadline = ContinuousClock.now + timeout
        var output: [UInt8] = [], errors: [UInt8] = []
        var streams = [pollfd(fd: out.read, events: Int16(POLLIN), revents: 0), pollfd(fd: err.read, events: Int16(POLLIN), revents: 0)]
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, WNOHANG) == pid {
                // The command is done: take what is already written, and stop reading even if a
                // child it started still holds the pipe.
                for fd in [out.read, err.read] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
                Self.drain(out.read, into: &output)
                Self.drain(err.read, into: &errors)
                break
            }
            let left = deadline - ContinuousClock.now
            if left <= .zero {
                Self.stop(pid)
                return Outcome(end: .timedOut, output: [], errors: errors)
            }
            let open = streams.contains { $0.fd >= 0 }
            let wait = open ? min(left, .milliseconds(200)) : min(left, .milliseconds(5))
            let milliseconds = Int32(clamping: wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
            if poll(&streams, nfds_t(streams.count), max(1, milliseconds)) > 0 {
                for index in streams.indices where streams[index].fd >= 0 && streams[index].revents != 0 {
                    let fd = streams[index].fd
                    let got = fd == out.read ? Self.readSome(fd, into: &output) : Self.readSome(fd, into: &errors)
                    if got == 0 { streams[index].fd = -1 }
                }
            }
            if output.count > Secret.maximumBytes {
                Self.stop(pid)
                return Outcome(end: .tooMuchOutput, output: [], errors: [])
            }
            if errors.count > Secret.maximumBytes { errors.removeLast(errors.count - Secret.maximumBytes) }
        }
        if output.count > Secret.maximumBytes { return Outcome(end: .tooMuchOutput, output: [], errors: []) }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: Swift does not import the macros.
        let signal = status & 0x7f
        return Outcome(end: signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal), output: output, errors: errors)
    }

    /// Kills the command's whole process group and reaps the command.
    private static func stop(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    /// A pipe whose ends are close-on-exec (the child gets its end through dup2 only).
    private static func makePipe(field: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw AuthFlowError(.secret, "\(field): cannot make a pipe: \(String(cString: strerror(errno)))", hint: "the system is out of file descriptors")
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Reads what is there (up to 64 KiB); returns the count, 0 at end of file, -1 when nothing is ready.
    @discardableResult
    private static func readSome(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if got > 0 { buffer += chunk[0..<got] }
        if got < 0 { return errno == EINTR || errno == EAGAIN ? -1 : 0 }
        return got
    }

    /// Reads what a non-blocking descriptor holds now, within the cap.
    private static func drain(_ fd: Int32, into buffer: inout [UInt8]) {
        while buffer.count <= Secret.maximumBytes, readSome(fd, into: &buffer) > 0 {}
    }

    /// Runs `work` on a new thread and resumes with its result.
    private static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    private func locate(_ program: String) -> String? {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (directory as NSString).appendingPathComponent(program)
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

extension String {
    /// Server or tool text made safe to show: control characters removed, whitespace folded, length capped.
    public func sanitizedForTerminal(limit: Int = 300) -> String {
        let cleaned = unicodeScalars.map { scalar -> String in
            if scalar == "\n" || scalar == "\r" || scalar == "\t" { return " " }
            let category = scalar.properties.generalCategory
            if category == .control || category == .format || scalar.value == 0x2028 || scalar.value == 0x2029 { return "" }
            return String(scalar)
        }.joined()
        let folded = cleaned.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return folded.count > limit ? String(folded.prefix(limit)) + "…" : folded
    }
}
