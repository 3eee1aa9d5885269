internal import CAuthFlowSystem
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a child process the one way authflow starts any: posix_spawn, the environment given
/// (never inherited wholesale), signals at their defaults with an empty mask, and no descriptor
/// but 0, 1 and 2 — a pipe end or socket of authflow's that a child (or its children) kept open
/// would hold authflow, or the server's connection, for as long as they live.
struct Spawn {
    /// The program: a path, or a name looked up on the environment's `PATH` when `searchPath`.
    var program: String
    /// argv, the program's name first.
    var arguments: [String]
    /// The complete environment of the child.
    var environment: [String: String]
    /// Look `program` up on `PATH` (as a shell would).
    var searchPath = false
    /// The child's working folder; nil keeps authflow's.
    var directory: String?
    /// Descriptors to become the child's 0, 1, 2; nil inherits authflow's.
    var standardInput: Int32?, standardOutput: Int32?, standardError: Int32?
    /// Start the child in a process group of its own, so all of it can be stopped at once.
    var newProcessGroup = false

    /// The signals a child gets back at their default dispositions (authflow or the Swift runtime
    /// may ignore them; ignored signals stay ignored across exec).
    static let resetSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE]

    /// Starts the child; returns its pid, or throws `Failure` with posix_spawn's errno.
    func start() throws(Failure) -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigemptyset(&empty)
        for signal in Self.resetSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | Int32(authflow_spawn_cloexec_flag())
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        for (target, source) in [(Int32(0), standardInput), (1, standardOutput), (2, standardError)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                _ = authflow_spawn_inherit(&actions, target)
            }
        }
        if authflow_spawn_close_from(&actions, 3) == ENOSYS { Self.markInheritedDescriptorsCloseOnExec() }
        if let directory, authflow_spawn_chdir(&actions, directory) != 0 { throw Failure(errno: ENOSYS) }

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let path = searchPath ? (Self.locate(program, path: environment["PATH"]) ?? program) : program
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw Failure(errno: spawned) }
        return pid
    }

    /// posix_spawn's error.
    struct Failure: Error {
        let errno: Int32
        var reason: String { String(cString: strerror(errno)) }
    }

    /// `program` on `path` (a `PATH` value), as execvp looks it up; a name with a `/` as it is.
    static func locate(_ program: String, path: String?) -> String? {
        if program.contains("/") { return program }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = "\(folder.isEmpty ? "." : folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Where the C library cannot close descriptors in the child: mark every open one from 3 up
    /// close-on-exec in authflow instead.
    private static func markInheritedDescriptorsCloseOnExec() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
            ?? Array(3..<Int32(max(3, min(4096, sysconf(Int32(_SC_OPEN_MAX))))))
        for fd in open where fd >= 3 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
