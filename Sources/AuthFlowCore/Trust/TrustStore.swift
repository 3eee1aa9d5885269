import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The user's record of trusted repository profile files (docs/guides/trust.md: untrusted
/// configuration), like direnv's allow list: one file per trusted version in the state folder
/// (`$XDG_STATE_HOME/authflow`, else `~/.local/state/authflow`), named by the SHA-256 of the
/// file's absolute path and exact content, holding the path. Changing one byte of the file, or
/// moving it, makes it untrusted again; nothing but the user can write a record (0700/0600).
public struct TrustStore: Sendable {
    /// One trusted file version.
    public struct Record: Sendable, Hashable {
        /// The file's absolute path when it was trusted.
        public let path: String
        /// The fingerprint (64 hex digits) of that path and content.
        public let fingerprint: String
    }

    /// Whether a file version is trusted.
    public enum Verdict: Sendable, Equatable {
        /// This exact content at this path was trusted.
        case trusted
        /// Never trusted at this path.
        case unknown
        /// Another version of the file at this path was trusted: it changed since.
        case changed
    }

    /// The state folder.
    public let folder: CacheFolder

    /// The store the environment names.
    public init(environment: [String: String]) {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        folder = CacheFolder(path: state + "/authflow", purpose: .state)
    }

    /// The absolute path trust is recorded under: symbolic links resolved, so a link swapped to
    /// another file does not carry the trust along. nil when the file does not exist.
    public static func absolutePath(_ path: String) -> String? {
        FilePaths.real(path)
    }

    /// The fingerprint of `contents` at `absolutePath`, length-prefixed so no two pairs share one.
    public static func fingerprint(absolutePath: String, contents: some Collection<UInt8>) -> String {
        var hash = SHA256()
        hash.update(data: Data("authflow-trust/1\n\(absolutePath.utf8.count):\(absolutePath)\n".utf8))
        hash.update(data: Data(contents))
        return CacheKey.hex(hash.finalize())
    }

    /// Whether `contents` (the bytes about to be used) at `absolutePath` is trusted. Throws
    /// when the state folder is unsafe: a record there proves nothing.
    public func verdict(absolutePath: String, contents: some Collection<UInt8>) throws -> Verdict {
        guard try folder.check() else { return .unknown }
        let name = Self.recordName(Self.fingerprint(absolutePath: absolutePath, contents: contents))
        if access(folder.file(name), F_OK) == 0 { return .trusted }
        return records().contains { $0.path == absolutePath } ? .changed : .unknown
    }

    /// Records `contents` at `absolutePath` as trusted, replacing records of older versions.
    public func trust(absolutePath: String, contents: some Collection<UInt8>) throws {
        try folder.prepare()
        let fingerprint = Self.fingerprint(absolutePath: absolutePath, contents: contents)
        try folder.write(Data(absolutePath.utf8), to: Self.recordName(fingerprint))
        for record in records() where record.path == absolutePath && record.fingerprint != fingerprint {
            folder.remove(Self.recordName(record.fingerprint))
        }
    }

    /// Forgets every version of the file at `absolutePath`; returns how many records went.
    @discardableResult
    public func untrust(absolutePath: String) throws -> Int {
        guard try folder.check() else { return 0 }
        let gone = records().filter { $0.path == absolutePath }
        for record in gone { folder.remove(Self.recordName(record.fingerprint)) }
        return gone.count
    }

    /// Every record, sorted by path.
    public func records() -> [Record] {
        folder.names().compactMap { name -> Record? in
            guard name.hasPrefix(Self.prefix), let data = folder.read(name) else { return nil }
            return Record(path: String(decoding: data, as: UTF8.self), fingerprint: String(name.dropFirst(Self.prefix.count)))
        }
        .sorted { ($0.path, $0.fingerprint) < ($1.path, $1.fingerprint) }
    }

    private static let prefix = "trusted-"
    private static func recordName(_ fingerprint: String) -> String { prefix + fingerprint }
}
