import AuthFlowCore
import Foundation

/// The tests' in-memory keychain: what was stored, and a failure to throw instead when set.
final class MemoryKeychain: Keychain, @unchecked Sendable {
    private let lock = NSLock()
    private var items: [KeychainItemName: String] = [:]
    private var reads = 0
    /// Thrown by every call while set (a locked keyring, no Secret Service).
    var failure: AuthFlowError? {
        get { lock.withLock { storedFailure } }
        set { lock.withLock { storedFailure = newValue } }
    }
    private var storedFailure: AuthFlowError?

    init(_ items: [KeychainItemName: String] = [:]) { self.items = items }

    /// The stored values, by name.
    var contents: [KeychainItemName: String] { lock.withLock { items } }
    /// How many times a secret was read.
    var readCount: Int { lock.withLock { reads } }

    func secret(for name: KeychainItemName) throws -> Secret? {
        try lock.withLock {
            if let storedFailure { throw storedFailure }
            reads += 1
            return items[name].map(Secret.init)
        }
    }

    func store(_ secret: Secret, for name: KeychainItemName, label: String) throws {
        try lock.withLock {
            if let storedFailure { throw storedFailure }
            items[name] = secret.reveal()
        }
    }

    func delete(_ name: KeychainItemName) throws -> Bool {
        try lock.withLock {
            if let storedFailure { throw storedFailure }
            return items.removeValue(forKey: name) != nil
        }
    }

    func storedNames() throws -> [KeychainItemName] {
        try lock.withLock {
            if let storedFailure { throw storedFailure }
            return items.keys.sorted()
        }
    }
}
