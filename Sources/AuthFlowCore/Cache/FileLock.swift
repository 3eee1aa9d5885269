import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a lock file, waited for up to a bound. Released when the process
/// ends, however it ends, so a killed holder never leaves the cache locked.
final class FileLock: Sendable {
    private let fd: Int32

    /// Takes the lock on `path`, polling until `timeout`.
    init(path: String, timeout: Duration) async throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AuthFlowError(.cannotCreate, "cannot open the cache lock \(path): \(String(cString: strerror(errno)))", hint: "check the cache folder's permissions, or pass --no-cache")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay: Duration = .milliseconds(2)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline else {
                close(fd)
                throw AuthFlowError(.tryAgain, "another authflow process has held the cache lock for over \(timeout)",
                                    hint: "it may be waiting for a prompt or a slow server; try again, or pass --no-cache")
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(50))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
