import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command with extra environment variables (never in its argv), forwards SIGINT,
/// SIGTERM and SIGHUP to it, and reports its exit status the way a shell does (128+n for signal n).
public struct ChildProcess: Sendable {
    /// The program and its arguments; the program is looked up on `PATH`.
    public var arguments: [String]
    /// The complete environment of the child.
    public var environment: [String: String]

    /// Creates the child description.
    public init(arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        self.environment = environment
    }

    /// Starts the child, waits for it, and returns the status to exit with.
    public func run() throws -> Int32 {
        guard let program = arguments.first else {
            throw AuthFlowError(.usage, "exec needs a command to run", hint: "authflow exec PROFILE -- COMMAND [ARGS...]")
        }
        let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
        // Ignore the signals here so they reach the child through the handlers; Spawn gives the
        // child default dispositions, an empty mask and no descriptor of authflow's but 0-2.
        for number in forwarded { signal(number, SIG_IGN) }
        let pid: pid_t
        do {
            pid = try Spawn(program: program, arguments: arguments, environment: environment, searchPath: true).start()
        } catch {
            throw AuthFlowError(error.errno == ENOENT ? .commandNotFound : .commandNotExecutable, "cannot run '\(program)': \(error.reason)",
                                hint: error.errno == ENOENT ? "check the command name and PATH" : "check that the command is executable")
        }
        let child = pid
        // Sources are made only once the child exists: a never-resumed source must not be released.
        let sources = forwarded.map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { kill(child, number) }
            source.resume()
            return source
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        sources.forEach { $0.cancel() }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: Swift does not import the macros.
        let signalNumber = status & 0x7f
        if signalNumber == 0 { return (status >> 8) & 0xff }
        return 128 + signalNumber
    }
}
