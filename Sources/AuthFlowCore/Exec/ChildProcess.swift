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
        // Ignore the signals here so they reach the child through the handlers, then give
        // the child default dispositions and an empty mask again.
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil  // an opaque pointer on Darwin, a struct on Linux
        #else
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in forwarded { sigaddset(&defaults, signal) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        for number in forwarded { signal(number, SIG_IGN) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, nil, &attributes, argv, envp)
        guard spawned == 0 else {
            throw AuthFlowError(spawned == ENOENT ? .commandNotFound : .commandNotExecutable, "cannot run '\(program)': \(String(cString: strerror(spawned)))",
                                hint: spawned == ENOENT ? "check the command name and PATH" : "check that the command is executable")
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
