/// The OS keychain (docs/guides/keyring.md): the Secret Service on Linux (GNOME Keyring, KeePassXC,
/// KWallet), the login keychain on macOS. Every failure is a secret error (exit 78) that says why in
/// words (no keychain service, locked, libsecret missing) and what to do.
public protocol Keychain: Sendable {
    /// The secret stored under `name`, or nil when there is no such item.
    func secret(for name: KeychainItemName) throws -> Secret?
    /// Stores `secret` under `name` with `label` (what keychain apps show), replacing any item of that name.
    func store(_ secret: Secret, for name: KeychainItemName, label: String) throws
    /// Removes the items named `name`; false when there was none.
    func delete(_ name: KeychainItemName) throws -> Bool
    /// The names of the items authflow stored, sorted; never their values.
    func storedNames() throws -> [KeychainItemName]
}

/// The keychain of the machine authflow runs on. Nothing is loaded or connected until a method is
/// called, so a profile that names no `keyring:` secret never touches it.
public struct SystemKeychain: Keychain {
    /// The platform's keychain.
    public init() {}

    #if os(Linux)
    private var platform: SecretServiceKeychain { SecretServiceKeychain() }
    #elseif canImport(Security)
    private var platform: AppleKeychain { AppleKeychain() }
    #else
    private var platform: UnavailableKeychain { UnavailableKeychain() }
    #endif

    public func secret(for name: KeychainItemName) throws -> Secret? { try platform.secret(for: name) }
    public func store(_ secret: Secret, for name: KeychainItemName, label: String) throws { try platform.store(secret, for: name, label: label) }
    public func delete(_ name: KeychainItemName) throws -> Bool { try platform.delete(name) }
    public func storedNames() throws -> [KeychainItemName] { try platform.storedNames() }
}

/// A platform with no keychain authflow knows.
struct UnavailableKeychain: Keychain {
    private func fail() -> AuthFlowError {
        AuthFlowError(.secret, "this platform has no OS keychain authflow can use", hint: "use env:, file: or command: for this secret")
    }

    func secret(for name: KeychainItemName) throws -> Secret? { throw fail() }
    func store(_ secret: Secret, for name: KeychainItemName, label: String) throws { throw fail() }
    func delete(_ name: KeychainItemName) throws -> Bool { throw fail() }
    func storedNames() throws -> [KeychainItemName] { throw fail() }
}
