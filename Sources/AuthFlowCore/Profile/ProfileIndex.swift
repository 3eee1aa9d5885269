import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the cached-token fast path needs of a profile — its cache key, `refresh_skew` and output
/// prefix — recorded under everything that decides them, so a repeated call can skip parsing and
/// validating an unchanged profile file (a fifth of a cached call). The record is keyed by the
/// SHA-256 of this executable's identity, the working folder, the file as located and its real
/// path, the profile name and the file's exact bytes; it also lists the `${VAR}`s the profile
/// names, with a digest of their values now. Any difference is a miss, and the full load (which
/// reports every problem) runs. Records live in the cache folder as `profile-HASH.json`.
public struct ProfileIndex: Sendable {
    /// The inputs of one lookup, hashed.
    public struct Key: Sendable {
        let hex: String

        /// The key for `profile` in the file `located` found, holding `bytes`; nil where this
        /// executable cannot name itself (then there is no index).
        public init?(located: (path: String, origin: ProfileLocator.Origin), profile: String, bytes: [UInt8]) {
            guard let executable = Self.executableIdentity(), let real = FilePaths.real(located.path) else { return nil }
            let parts = ["authflow-profile-index/1", executable, FileManager.default.currentDirectoryPath, located.path, located.origin.rawValue, real, profile]
            hex = CacheKey.digest(parts, then: bytes)
        }

        var fileName: String { "\(ProfileIndex.prefix)\(hex).json" }

        /// This executable's device, inode, size and modification time, so a rebuilt or replaced
        /// authflow never reads records another build wrote; nil when it cannot be found (Linux
        /// without /proc), and then there is no index.
        static func executableIdentity() -> String? {
            var info = stat()
            #if canImport(Darwin)
            var size = UInt32(PATH_MAX)
            var path = [CChar](repeating: 0, count: Int(size))
            guard _NSGetExecutablePath(&path, &size) == 0, stat(path, &info) == 0 else { return nil }
            let modified = info.st_mtimespec
            #else
            guard stat("/proc/self/exe", &info) == 0 else { return nil }
            let modified = info.st_mtim
            #endif
            return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(modified.tv_sec).\(modified.tv_nsec)"
        }
    }

    /// What a record gives the fast path.
    public struct Entry: Sendable {
        /// The profile's token cache key.
        public let cacheKey: CacheKey
        /// Its `refresh_skew`.
        public let refreshSkew: Duration
        /// Its output prefix.
        public let outputPrefix: String
    }

    /// The cache folder.
    public let folder: CacheFolder

    /// The index in `folder`.
    public init(folder: CacheFolder) { self.folder = folder }

    /// The record for `key`, if its variables still have the values they had; nil otherwise. (The
    /// token it points to is read through `TokenService.cachedToken`, which checks the folder.)
    public func entry(for key: Key, environment: [String: String]) -> Entry? {
        guard let data = folder.read(key.fileName), let json = JSONValue.parse(bytes: data),
              json["format"]?.string == Self.format,
              let names = json["variables"]?.array?.compactMap(\.string),
              json["environment"]?.string == Self.digest(of: names, in: environment),
              let cacheKey = json["key"]?.string.flatMap(CacheKey.init(hex:)),
              let skew = json["refresh_skew_ms"]?.number, skew >= 0, skew < 1e12,
              let prefix = json["prefix"]?.string else { return nil }
        return Entry(cacheKey: cacheKey, refreshSkew: .milliseconds(Int64(skew)), outputPrefix: prefix)
    }

    /// Records `profile` (loaded from `file`, whose bytes `key` covers) for later lookups. Best
    /// effort: a record that cannot be written is only a miss next time. Not fsynced: a torn
    /// record after a crash does not parse, which is a miss too.
    public func record(_ profile: Profile, of file: ProfileFile, under key: Key, environment: [String: String]) {
        guard let node = file.merged[profile.name]?.node else { return }
        let names = node.variableNames
        let (seconds, attoseconds) = profile.refreshSkew.components
        let json = JSONValue.object([
            "format": .string(Self.format),
            "variables": .array(names.map(JSONValue.string)),
            "environment": .string(Self.digest(of: names, in: environment)),
            "key": .string(CacheKey(profile).hex),
            "refresh_skew_ms": .number(Double(seconds * 1000 + attoseconds / 1_000_000_000_000_000)),
            "prefix": .string(profile.outputPrefix),
        ])
        guard (try? folder.prepare()) != nil else { return }
        if folder.names().filter({ $0.hasPrefix(Self.prefix) }).count >= Self.limit { removeAll() }
        try? folder.write(Data(json.serialized().utf8), to: key.fileName, durable: false)
    }

    /// Forgets every record.
    public func removeAll() {
        folder.names().filter { $0.hasPrefix(Self.prefix) }.forEach(folder.remove)
    }

    /// A digest of the values (or absence) of `names` in `environment`.
    static func digest(of names: [String], in environment: [String: String]) -> String {
        CacheKey.digest(names.map { name in environment[name].map { "\(name)=\($0)" } ?? "\(name)!" })
    }

    static let format = "authflow-profile-index/1"
    static let prefix = "profile-"
    /// Records kept at most; past it they are all dropped and rebuilt as calls come (each is a few
    /// hundred bytes; edits, folders and profiles each make a new one).
    static let limit = 256
}
