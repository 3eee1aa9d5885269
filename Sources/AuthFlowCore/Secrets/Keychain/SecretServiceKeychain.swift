#if os(Linux)
internal import CAuthFlowSystem
import Foundation

/// The Secret Service (freedesktop.org; GNOME Keyring, KeePassXC, KWallet) through libsecret.
/// Items are found by their attributes `service` and `account`, whatever schema stored them, so
/// `secret-tool store --label=… service S account A` items work; authflow's own items carry the
/// schema `authflow.Secret`, which is how `storedNames` tells them apart.
struct SecretServiceKeychain: Keychain {
    func secret(for name: KeychainItemName) throws -> Secret? {
        let library = try LibSecret.shared.get()
        let (value, error) = library.withAttributes(of: name) { table in
            library.catching { library.lookup(LibSecret.anySchema, table, nil, $0) }
        }
        if let error { throw Self.failure(error, reading: name) }
        guard let value else {
            // libsecret answers nothing both for no item and for one it could not unlock.
            if try !items(named: name, library).isEmpty { throw Self.locked(name) }
            return nil
        }
        defer { library.free(value) }  // wipes the copy libsecret made
        guard strlen(value) <= Secret.maximumBytes else {
            throw AuthFlowError(.secret, "the keychain item \(name) holds more than \(Secret.maximumBytes / 1024) KiB",
                                hint: "a secret is a line or a key; check what is stored under \(name)")
        }
        return Secret(String(cString: value))
    }

    func store(_ secret: Secret, for name: KeychainItemName, label: String) throws {
        let library = try LibSecret.shared.get()
        let (stored, error) = library.withAttributes(of: name) { table in
            label.withCString { label in
                secret.reveal().withCString { value in
                    library.catching { library.store(LibSecret.ownSchema, table, nil, label, value, nil, $0) }
                }
            }
        }
        if let error { throw Self.failure(error, changing: name) }
        guard stored != 0 else {
            throw AuthFlowError(.secret, "the keychain did not store \(name)", hint: "check that the keyring is unlocked, then try again")
        }
        // One item per name: an item another tool stored (secret-tool's) would stay beside ours, and a
        // lookup could return either. Removed only once ours is in, so a failure never loses the old one.
        let (list, searchError) = search(name, library)
        if let searchError { throw Self.failure(searchError, changing: name) }
        var leftover: (domain: String, code: Int32, message: String)?
        forEach(in: list, library) { item, attributes in
            guard library.string(attributes, "xdg:schema") != Self.schemaName else { return }
            let (_, error) = library.catching { library.delete(item, nil, $0) }
            leftover = leftover ?? error
        }
        if let leftover { throw Self.failure(leftover, changing: name) }
    }

    func delete(_ name: KeychainItemName) throws -> Bool {
        let library = try LibSecret.shared.get()
        let (removed, error) = library.withAttributes(of: name) { table in
            library.catching { library.clear(LibSecret.anySchema, table, nil, $0) }
        }
        if let error { throw Self.failure(error, changing: name) }
        if removed == 0, try !items(named: name, library).isEmpty { throw Self.locked(name) }
        return removed != 0
    }

    func storedNames() throws -> [KeychainItemName] {
        let library = try LibSecret.shared.get()
        let (list, error) = library.withAttributes([]) { table in
            library.catching { library.search(LibSecret.ownSchema, table, LibSecret.searchAll, nil, $0) }
        }
        if let error { throw Self.failure(error) }
        return Set(names(in: list, library)).sorted()
    }

    /// The schema name of authflow's items (`authflow_secret_schema_get`).
    static let schemaName = "authflow.Secret"

    /// Every item whose attributes are `name`'s, whatever its schema, without unlocking: a GList to free.
    private func search(_ name: KeychainItemName, _ library: LibSecret) -> (UnsafeMutablePointer<authflow_glist>?, (domain: String, code: Int32, message: String)?) {
        library.withAttributes(of: name) { table in
            library.catching { library.search(LibSecret.anySchema, table, LibSecret.searchAll, nil, $0) }
        }
    }

    /// The names of the items whose attributes are `name`'s, whatever their schema.
    private func items(named name: KeychainItemName, _ library: LibSecret) throws -> [KeychainItemName] {
        let (list, error) = search(name, library)
        if let error { throw Self.failure(error, reading: name) }
        return names(in: list, library)
    }

    /// The names of the items in `list`, which is freed.
    private func names(in list: UnsafeMutablePointer<authflow_glist>?, _ library: LibSecret) -> [KeychainItemName] {
        var out: [KeychainItemName] = []
        forEach(in: list, library) { _, attributes in
            if let service = library.string(attributes, "service"), let account = library.string(attributes, "account"),
               let name = KeychainItemName(service: service, account: account) {
                out.append(name)
            }
        }
        return out
    }

    /// Calls `body` with each item of `list` (SecretItem objects) and its attributes, then frees them and the list.
    private func forEach(in list: UnsafeMutablePointer<authflow_glist>?, _ library: LibSecret, _ body: (UnsafeMutableRawPointer, OpaquePointer) -> Void) {
        defer { library.listFree(list) }
        var node = list
        while let current = node {
            if let item = current.pointee.data {
                if let attributes = library.attributes(item) {
                    body(item, attributes)
                    library.tableUnref(attributes)
                }
                library.objectUnref(item)
            }
            node = current.pointee.next
        }
    }

    static func locked(_ name: KeychainItemName) -> AuthFlowError {
        AuthFlowError(.secret, "the keychain item \(name) is locked and could not be unlocked",
                      hint: "unlock the keyring (log in to the desktop session, or unlock it in your keyring app; on a server see the keyring guide), then try again")
    }

    /// A libsecret error in words, with the fix for its cause.
    static func failure(_ error: (domain: String, code: Int32, message: String), reading name: KeychainItemName? = nil, changing changed: KeychainItemName? = nil) -> AuthFlowError {
        let detail = error.message.sanitizedForTerminal()
        let what = name.map { "the keychain item \($0) cannot be read" } ?? changed.map { "the keychain item \($0) cannot be changed" } ?? "the keychain cannot be read"
        switch (error.domain, error.code) {
        case ("g-dbus-error-quark", 2), ("g-dbus-error-quark", 3), ("g-dbus-error-quark", 23...31):
            // ServiceUnknown, NameHasNoOwner, Spawn* (activation failed): nothing answers for org.freedesktop.secrets.
            return AuthFlowError(.secret, "\(what): no Secret Service is running on the D-Bus session bus (\(detail))",
                                 hint: "start your keyring (log in to the desktop session, or run gnome-keyring-daemon --start --components=secrets; on a server see the keyring guide), or use env:, file: or command: for this secret")
        case ("g-io-error-quark", _):
            return AuthFlowError(.secret, "\(what): there is no D-Bus session bus to reach the Secret Service (\(detail))",
                                 hint: "run authflow in a desktop session, or start a session bus and a keyring (on a server see the keyring guide), or use env:, file: or command: for this secret")
        case ("secret-error", 2):
            return AuthFlowError(.secret, "\(what): the keyring is locked (\(detail))",
                                 hint: "unlock the keyring (log in to the desktop session, or unlock it in your keyring app), then try again")
        default:
            return AuthFlowError(.secret, "\(what): \(detail)", hint: "check that a keyring is running and unlocked (on a server see the keyring guide)")
        }
    }
}
#endif
