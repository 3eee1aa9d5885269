#if canImport(Security) && !os(Linux)
import Foundation
import Security

/// The macOS login keychain: generic passwords found by service and account, whoever stored them
/// (`security add-generic-password -s S -a A -w` items work). authflow's own items carry the comment
/// `authflow`, which is how `storedNames` tells them apart. Not built on Linux; see docs/platforms.md.
struct AppleKeychain: Keychain {
    /// The comment on the items authflow stores.
    static let marker = "authflow"

    private func query(_ name: KeychainItemName) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: name.service, kSecAttrAccount as String: name.account]
    }

    func secret(for name: KeychainItemName) throws -> Secret? {
        var query = query(name)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess else { throw Self.failure(status, "the keychain item \(name) cannot be read") }
        guard let data = result as? Data, data.count <= Secret.maximumBytes, let text = String(data: data, encoding: .utf8) else {
            throw AuthFlowError(.secret, "the keychain item \(name) is not a text secret of at most \(Secret.maximumBytes / 1024) KiB",
                                hint: "store it again with: authflow keyring set \(name)")
        }
        return Secret(text)
    }

    func store(_ secret: Secret, for name: KeychainItemName, label: String) throws {
        let attributes: [String: Any] = [kSecValueData as String: Data(secret.reveal().utf8), kSecAttrLabel as String: label,
                                         kSecAttrComment as String: Self.marker]
        var status = SecItemUpdate(query(name) as CFDictionary, attributes as CFDictionary)
        if status == errSecItemNotFound {
            status = SecItemAdd(query(name).merging(attributes) { _, new in new } as CFDictionary, nil)
        }
        guard status == errSecSuccess else { throw Self.failure(status, "the keychain item \(name) cannot be stored") }
    }

    func delete(_ name: KeychainItemName) throws -> Bool {
        let status = SecItemDelete(query(name) as CFDictionary)
        if status == errSecItemNotFound { return false }
        guard status == errSecSuccess else { throw Self.failure(status, "the keychain item \(name) cannot be removed") }
        return true
    }

    func storedNames() throws -> [KeychainItemName] {
        let query: [String: Any] = [kSecClass as String: kSecClassGenericPassword, kSecAttrComment as String: Self.marker,
                                    kSecMatchLimit as String: kSecMatchLimitAll, kSecReturnAttributes as String: true]
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        if status == errSecItemNotFound { return [] }
        guard status == errSecSuccess else { throw Self.failure(status, "the keychain cannot be read") }
        let items = (result as? [[String: Any]]) ?? []
        return Set(items.compactMap { item -> KeychainItemName? in
            guard item[kSecAttrComment as String] as? String == Self.marker,
                  let service = item[kSecAttrService as String] as? String, let account = item[kSecAttrAccount as String] as? String else { return nil }
            return KeychainItemName(service: service, account: account)
        }).sorted()
    }

    /// A Security framework status in words, with the fix for the usual causes.
    static func failure(_ status: OSStatus, _ what: String) -> AuthFlowError {
        let reason = (SecCopyErrorMessageString(status, nil) as String?) ?? "error \(status)"
        switch status {
        case errSecInteractionNotAllowed:
            return AuthFlowError(.secret, "\(what): the keychain is locked (\(reason))", hint: "unlock it (security unlock-keychain), then try again")
        case errSecAuthFailed, errSecUserCanceled:
            return AuthFlowError(.secret, "\(what): access was denied (\(reason))", hint: "allow authflow in the keychain prompt, or in Keychain Access")
        default:
            return AuthFlowError(.secret, "\(what): \(reason)", hint: "check the login keychain in Keychain Access")
        }
    }
}
#endif
