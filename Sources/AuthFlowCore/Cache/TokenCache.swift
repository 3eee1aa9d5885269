import Foundation

/// Token entries in the cache folder: read tolerantly (a corrupt or foreign file is a miss),
/// written atomically. A profile with `cache.refresh_token: keyring` has its refresh token in the
/// OS keychain (service `authflow`, account `token-KEY`, the entry's name) and the entry only says so.
public struct TokenCache: Sendable {
    /// The folder.
    public let folder: CacheFolder
    /// Where refresh tokens of `keyring` profiles are kept; touched only for entries that say so.
    public var keychain: any Keychain
    /// Receives warnings: a keychain item that could not be stored or removed.
    public var warn: @Sendable (String) -> Void

    /// The keychain service of the refresh tokens authflow keeps there.
    public static let keychainService = "authflow"

    /// A cache in `folder`.
    public init(folder: CacheFolder, keychain: any Keychain = SystemKeychain(), warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.folder = folder
        self.keychain = keychain
        self.warn = warn
    }

    /// The keychain item of the refresh token cached under `key`: `authflow/token-KEY`.
    public static func keychainItem(for key: CacheKey) -> KeychainItemName? {
        KeychainItemName(service: keychainService, account: "token-\(key.hex)")
    }

    /// The entry for `key`, or nil when there is none or it cannot be read.
    public func entry(for key: CacheKey) -> CacheEntry? {
        guard let data = folder.read(key.entryName) else { return nil }
        return CacheEntry(json: data)
    }

    /// The refresh token of `entry` (cached under `key`): from the entry, or from the keychain when the
    /// entry says it is there. Nil when there is none; throws when the keychain cannot be read.
    public func refreshToken(of entry: CacheEntry, for key: CacheKey) throws -> String? {
        if let token = entry.refreshToken { return token }
        guard entry.refreshTokenInKeyring == true, let item = Self.keychainItem(for: key) else { return nil }
        return try keychain.secret(for: item)?.reveal()
    }

    /// Stores `entry` under `key`, its refresh token where `storage` says: with `keyring` the file gets
    /// none (when the keychain refuses it, a warning, and the token is not kept); with `file` a
    /// refresh token an earlier entry kept in the keychain is removed from there.
    public func store(_ entry: CacheEntry, for key: CacheKey, storage: RefreshTokenStorage = .file) throws {
        var entry = entry
        let before = self.entry(for: key)
        switch storage {
        case .file:
            try folder.write(json: entry, to: key.entryName)
            if before?.refreshTokenInKeyring == true { removeFromKeychain(key) }
        case .keyring:
            if let token = entry.refreshToken, let item = Self.keychainItem(for: key) {
                entry.refreshToken = nil
                do {
                    try keychain.store(Secret(token), for: item, label: "authflow refresh token (profile \(entry.profile))")
                    entry.refreshTokenInKeyring = true
                } catch {
                    warn("refresh token not kept: \((error as? AuthFlowError)?.message ?? "the keychain refused it")")
                }
            }
            try folder.write(json: entry, to: key.entryName)
            if entry.refreshTokenInKeyring != true, before?.refreshTokenInKeyring == true { removeFromKeychain(key) }
        }
    }

    /// Forgets the entry under `key` (and its refresh token in the keychain).
    public func remove(_ key: CacheKey) {
        let inKeyring = entry(for: key)?.refreshTokenInKeyring == true
        folder.remove(key.entryName)
        if inKeyring { removeFromKeychain(key) }
    }

    /// Forgets the entry under `key` and its lock file, unless a running call holds that lock
    /// (the lock then stays, and that call's entry with it).
    public func forget(_ key: CacheKey) {
        remove(key)
        _ = FileLock.removeIfFree(path: folder.file(key.lockName))
    }

    /// Forgets every token entry (with the refresh tokens they keep in the keychain) and the lock files
    /// no running call holds (the profile index that points at the entries is its owner's to clear);
    /// returns how many tokens there were.
    @discardableResult
    public func removeAll() -> Int {
        let names = folder.names().filter { $0.hasPrefix("token-") && $0.hasSuffix(".json") }
        for name in names {
            let key = CacheKey(hex: String(name.dropFirst("token-".count).dropLast(".json".count)))
            let inKeyring = folder.read(name).flatMap(CacheEntry.init(json:))?.refreshTokenInKeyring == true
            folder.remove(name)
            if inKeyring, let key { removeFromKeychain(key) }
        }
        for lock in folder.names() where lock.hasPrefix("token-") && lock.hasSuffix(".lock") {
            _ = FileLock.removeIfFree(path: folder.file(lock))
        }
        return names.count
    }

    /// Removes the refresh token of `key` from the keychain; a failure is a warning naming the item.
    private func removeFromKeychain(_ key: CacheKey) {
        guard let item = Self.keychainItem(for: key) else { return }
        do {
            _ = try keychain.delete(item)
        } catch {
            warn("\((error as? AuthFlowError)?.message ?? "the keychain item \(item) was not removed"); remove it later with: authflow keyring delete \(item)")
        }
    }
}
