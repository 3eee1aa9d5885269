public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The token cache folder (SPEC §6): `$AUTHFLOW_CACHE_DIR`, else `$XDG_CACHE_HOME/authflow`, else
/// `~/.cache/authflow`. Created 0700 whatever the umask; refused when someone else owns it or
/// others may write to it, since whoever can write there can hand authflow a token.
public struct CacheFolder: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// The folder the environment names.
    public init(environment: [String: String]) {
        if let explicit = environment["AUTHFLOW_CACHE_DIR"], !explicit.isEmpty {
            path = explicit
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            path = xdg + "/authflow"
        } else {
            path = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/authflow"
        }
    }

    /// The folder at `path`.
    public init(path: String) { self.path = path }

    /// Creates the folder if needed and checks that only the user can write to it.
    public func prepare() throws {
        if mkdir(path, 0o700) != 0, errno == ENOENT {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = mkdir(path, 0o700)
        }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw AuthFlowError(.cannotCreate, "the cache folder \(path) cannot be created", hint: "set AUTHFLOW_CACHE_DIR to a folder you own, or pass --no-cache")
        }
        guard info.st_uid == geteuid() else {
            throw AuthFlowError(.cannotCreate, "the cache folder \(path) belongs to another user", hint: "set AUTHFLOW_CACHE_DIR to a folder you own, or pass --no-cache")
        }
        if info.st_mode & 0o022 != 0 {
            // Others could have planted a token here: refuse rather than trust what is in it.
            throw AuthFlowError(.cannotCreate, "the cache folder \(path) is writable by others (mode \(String(info.st_mode & 0o777, radix: 8)))",
                                hint: "run: rm -rf \(path) (authflow recreates it 0700), or pass --no-cache")
        }
        if info.st_mode & 0o077 != 0 {
            // Readable by others (an old umask, a copied folder): tighten it.
            _ = chmod(path, 0o700)
        }
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Reads a file written by `write`; nil when it is missing or unreadable.
    public func read(_ name: String) -> Data? {
        FileManager.default.contents(atPath: file(name))
    }

    /// Writes `data` atomically: a 0600 temp file in the same folder, fsync, rename, fsync the folder.
    public func write(_ data: Data, to name: String) throws {
        let temp = file(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AuthFlowError(.cannotCreate, "cannot write to the cache folder \(path): \(String(cString: strerror(errno)))", hint: "check the folder's permissions, or pass --no-cache")
        }
        var ok = fchmod(fd, 0o600) == 0
        ok = ok && data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, file(name)) == 0 else {
            unlink(temp)
            throw AuthFlowError(.cannotCreate, "cannot write \(file(name))", hint: "check free space and permissions, or pass --no-cache")
        }
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes `name`; a missing file is fine.
    public func remove(_ name: String) {
        unlink(file(name))
    }

    /// The names of the files in the folder.
    public func names() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}
