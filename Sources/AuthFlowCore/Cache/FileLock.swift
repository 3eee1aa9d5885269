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
    ///
    /// `cache clear` may unlink a lock file no one holds; a process that opened it just before then
    /// would lock a file no longer in the folder while the next one locks a new file. So a lock
    /// counts only when the file locked is still the one at `path`; otherwise open it again.
    init(path: String, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay: Duration = .milliseconds(2)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw AuthFlowError(.cannotCreate, "cannot open the cache lock \(path): \(String(cString: strerror(errno)))", hint: "check the cache folder's permissions", workaround: .withoutTokenCache)
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                if Self.isStill(fd, at: path) {
                    self.fd = fd
                    return
                }
                close(fd)  // removed while we waited: lock the file that is there now
                continue
            }
            let failure = errno
            close(fd)
            guard failure == EWOULDBLOCK || failure == EINTR, clock.now < deadline else {
                throw AuthFlowError(.tryAgain, "another authflow process has held the cache lock for over \(timeout)",
                                    hint: "it may be waiting for a prompt or a slow server; try again", workaround: .withoutTokenCache)
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(50))
        }
    }

    /// Removes the lock file at `path` when no process holds it; true when it is gone. Unlinked
    /// while holding it, so a waiter that then gets the old file sees it is gone and reopens.
    static func removeIfFree(path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        defer { flock(fd, LOCK_UN) }
        return isStill(fd, at: path) && unlink(path) == 0
    }

    /// True when `fd` is the file at `path` (same device and inode).
    private static func isStill(_ fd: Int32, at path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
