public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder only the user may write to: the token cache (docs/reference/token-cache.md: `$AUTHFLOW_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/authflow`, else `~/.cache/authflow`) or the state folder of trust records.
/// Created 0700 whatever the umask; refused when someone else owns it or others may write to it,
/// since whoever can write there can hand authflow a token or a trust record.
public struct CacheFolder: Sendable {
    /// What the folder is for, in messages: "cache folder", how to point authflow at another one,
    /// and whether the caller can do without it.
    public struct Purpose: Sendable {
        let name: String
        let escape: String
        let workaround: AuthFlowError.Workaround?

        /// The token cache.
        public static let cache = Purpose(name: "cache folder", escape: "set AUTHFLOW_CACHE_DIR to a folder you own", workaround: .withoutTokenCache)
        /// The state folder of trust records.
        public static let state = Purpose(name: "state folder", escape: "set XDG_STATE_HOME to a folder you own", workaround: nil)
    }

    /// The folder's absolute path.
    public let path: String
    /// What it is for.
    public let purpose: Purpose

    /// The folder the environment names.
    public init(environment: [String: String]) {
        if let explicit = environment["AUTHFLOW_CACHE_DIR"], !explicit.isEmpty {
            path = explicit
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            path = xdg + "/authflow"
        } else {
            path = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/authflow"
        }
        purpose = .cache
    }

    /// The folder at `path`, for `purpose`.
    public init(path: String, purpose: Purpose = .cache) {
        self.path = path
        self.purpose = purpose
    }

    /// Creates the folder if needed and checks that only the user can write to it.
    public func prepare() throws {
        var failure: Int32 = 0
        if mkdir(path, 0o700) != 0 {
            failure = errno
            if failure == ENOENT {
                failure = Self.makeParents(of: path)
                if failure == 0 { failure = mkdir(path, 0o700) == 0 ? 0 : errno }
            }
        }
        guard try check() else {
            let reason = failure == 0 || failure == EEXIST ? "" : ": \(String(cString: strerror(failure)).lowercased())"
            throw AuthFlowError(.cannotCreate, "the \(purpose.name) \(path) cannot be created\(reason)", hint: purpose.escape, workaround: purpose.workaround)
        }
    }

    /// Creates the missing folders above `path` (as `mkdir -p` would, mode 0777 less the umask);
    /// 0, or the errno of the first that cannot be made (a read-only HOME, a file in the way).
    private static func makeParents(of path: String) -> Int32 {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in (path as NSString).deletingLastPathComponent.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { return errno }
        }
        return 0
    }

    /// Checks an existing folder without creating it: false when it does not exist; throws when
    /// someone else owns it or others may write to it. Tightens a folder others may only read.
    public func check() throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw AuthFlowError(.cannotCreate, "the \(purpose.name) \(path) is not a folder", hint: purpose.escape, workaround: purpose.workaround)
        }
        guard info.st_uid == geteuid() else {
            throw AuthFlowError(.cannotCreate, "the \(purpose.name) \(path) belongs to another user", hint: purpose.escape, workaround: purpose.workaround)
        }
        if info.st_mode & 0o022 != 0 {
            // Others could have planted a file here: refuse rather than trust what is in it.
            throw AuthFlowError(.cannotCreate, "the \(purpose.name) \(path) is writable by others (mode \(String(info.st_mode & 0o7777, radix: 8)))",
                                hint: writableHint(sticky: info.st_mode & 0o1000 != 0), workaround: purpose.workaround)
        }
        if info.st_mode & 0o077 != 0 {
            // Readable by others (an old umask, a copied folder): tighten it.
            _ = chmod(path, 0o700)
        }
        return true
    }

    /// How to get out of a folder others may write to. Never a removal: the folder may be one
    /// authflow did not create (`/tmp`, a shared project folder) and may hold other people's files.
    /// A sticky folder is shared by design, so tightening it would break others; suggest a folder
    /// of authflow's own inside it instead. The caller owns the folder here (checked before).
    func writableHint(sticky: Bool) -> String {
        let own = "\(path.hasSuffix("/") ? path : path + "/")authflow"
        if sticky {
            return "\(path) is a shared folder; use a folder of its own, such as \(Self.shellQuoted(own)) (authflow creates it 0700); or \(purpose.escape)"
        }
        return "if only you should write there, run: chmod 700 \(Self.shellQuoted(path)); otherwise use a folder of its own, such as \(Self.shellQuoted(own)); or \(purpose.escape)"
    }

    /// `text` as one POSIX shell word: single-quoted when it holds anything but safe characters.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "/._-+,:@%".unicodeScalars.contains($0)) }
        return safe && !text.isEmpty ? text : ShDialect().quoted(text)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Reads a file written by `write`; nil when it is missing or unreadable.
    public func read(_ name: String) -> Data? {
        FileManager.default.contents(atPath: file(name))
    }

    /// The file `name` decoded as JSON (dates in seconds since 1970); nil when missing or not a `T`.
    func decoded<T: Decodable>(_ type: T.Type, from name: String) -> T? {
        guard let data = read(name) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(type, from: data)
    }

    /// Writes `value` as JSON (sorted keys, dates in seconds since 1970) to `name`, atomically.
    func write<T: Encodable>(json value: T, to name: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        try write(try encoder.encode(value), to: name)
    }

    /// Writes `data` atomically: a 0600 temp file in the same folder, fsync, rename, fsync the
    /// folder. Without `durable` the fsyncs are skipped: still never torn while the machine runs.
    public func write(_ data: Data, to name: String, durable: Bool = true) throws {
        let temp = file(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AuthFlowError(.cannotCreate, "cannot write to the \(purpose.name) \(path): \(String(cString: strerror(errno)))", hint: "check the folder's permissions; or \(purpose.escape)", workaround: purpose.workaround)
        }
        var ok = fchmod(fd, 0o600) == 0
        ok = ok && data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        ok = ok && (!durable || flushToDisk(fd))
        close(fd)
        guard ok, rename(temp, file(name)) == 0 else {
            unlink(temp)
            throw AuthFlowError(.cannotCreate, "cannot write \(file(name))", hint: "check free space and permissions; or \(purpose.escape)", workaround: purpose.workaround)
        }
        guard durable else { return }
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = flushToDisk(folder)
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

#if canImport(Darwin)
/// write(2), named apart from `CacheFolder.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.write(fd, bytes, count)
}

/// Makes what was written to `fd` survive a power loss. On Darwin fsync(2) only hands the data to
/// the drive, whose cache may lose it; F_FULLFSYNC asks the drive to flush. Some file systems refuse
/// F_FULLFSYNC, and then fsync is the best there is.
private func flushToDisk(_ fd: Int32) -> Bool {
    fcntl(fd, F_FULLFSYNC) == 0 || fsync(fd) == 0
}
#else
/// write(2), named apart from `CacheFolder.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.write(fd, bytes, count)
}

/// Makes what was written to `fd` survive a power loss: fsync(2) on Linux.
private func flushToDisk(_ fd: Int32) -> Bool {
    fsync(fd) == 0
}
#endif
