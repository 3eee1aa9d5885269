internal import CAuthFlowSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What authflow does to itself before it touches a secret: no core dump (a crash mid-request
/// would write the client secret to disk), and, on Linux, not dumpable, so other processes of the
/// same user — an `exec` child among them — cannot read its memory or `/proc/PID/environ`, where
/// the variables it removed from the child's environment still are.
public enum ProcessHardening {
    /// Applies both; failures are ignored (a sandbox may forbid them, and authflow still works).
    public static func apply() {
        // The soft limit only: children inherit it, and one that wants core dumps may raise it again.
        #if canImport(Glibc)
        let core = __rlimit_resource_t(RLIMIT_CORE.rawValue)
        #else
        let core = RLIMIT_CORE
        #endif
        var limit = rlimit()
        if getrlimit(core, &limit) == 0 {
            limit.rlim_cur = 0
            _ = setrlimit(core, &limit)
        }
        _ = authflow_set_nondumpable()
    }
}
