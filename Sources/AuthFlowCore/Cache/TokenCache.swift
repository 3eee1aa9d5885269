import Foundation

/// Token entries in the cache folder: read tolerantly (a corrupt or foreign file is a miss),
/// written atomically.
public struct TokenCache: Sendable {
    /// The folder.
    public let folder: CacheFolder

    /// A cache in `folder`.
    public init(folder: CacheFolder) { self.folder = folder }

    /// The entry for `key`, or nil when there is none or it cannot be read.
    public func entry(for key: CacheKey) -> CacheEntry? {
        guard let data = folder.read(key.entryName) else { return nil }
        return CacheEntry(json: data)
    }

    /// Stores `entry` under `key`.
    public func store(_ entry: CacheEntry, for key: CacheKey) throws {
        try folder.write(json: entry, to: key.entryName)
    }

    /// Forgets the entry under `key`.
    public func remove(_ key: CacheKey) {
        folder.remove(key.entryName)
    }

    /// Forgets the entry under `key` and its lock file, unless a running call holds that lock
    /// (the lock then stays, and that call's entry with it).
    public func forget(_ key: CacheKey) {
        folder.remove(key.entryName)
        _ = FileLock.removeIfFree(path: folder.file(key.lockName))
    }

    /// Forgets every token entry and the lock files no running call holds (the profile index that
    /// points at the entries is its owner's to clear); returns how many tokens there were.
    @discardableResult
    public func removeAll() -> Int {
        let names = folder.names().filter { $0.hasPrefix("token-") && $0.hasSuffix(".json") }
        names.forEach(folder.remove)
        for lock in folder.names() where lock.hasPrefix("token-") && lock.hasSuffix(".lock") {
            _ = FileLock.removeIfFree(path: folder.file(lock))
        }
        return names.count
    }
}
