#if os(Linux)
internal import CAuthFlowSystem
import Foundation
import Glibc

/// libsecret's password functions, loaded with dlopen on first use: authflow must start and work
/// where libsecret is not installed (servers, containers), failing only what needs the keychain.
/// The `*v_sync` forms take a GHashTable of attributes, since Swift cannot call C varargs.
struct LibSecret: @unchecked Sendable {
    /// The file dlopen looks for: libsecret's ABI 1 (Debian libsecret-1-0, Fedora libsecret).
    static let fileName = "libsecret-1.so.0"

    typealias LookupFn = @convention(c) (UnsafeRawPointer?, OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>?) -> UnsafeMutablePointer<CChar>?
    typealias StoreFn = @convention(c) (UnsafeRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>?) -> Int32
    typealias ClearFn = @convention(c) (UnsafeRawPointer?, OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>?) -> Int32
    typealias SearchFn = @convention(c) (UnsafeRawPointer?, OpaquePointer?, Int32, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>?) -> UnsafeMutablePointer<authflow_glist>?
    typealias DeleteFn = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>?) -> Int32
    typealias FreeFn = @convention(c) (UnsafeMutablePointer<CChar>?) -> Void
    typealias AttributesFn = @convention(c) (UnsafeMutableRawPointer?) -> OpaquePointer?
    typealias TableNewFn = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> OpaquePointer?
    typealias TableInsertFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32
    typealias TableLookupFn = @convention(c) (OpaquePointer?, UnsafeRawPointer?) -> UnsafeMutableRawPointer?
    typealias UnrefFn = @convention(c) (OpaquePointer?) -> Void
    typealias ObjectUnrefFn = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias ListFreeFn = @convention(c) (UnsafeMutablePointer<authflow_glist>?) -> Void
    typealias ErrorFreeFn = @convention(c) (UnsafeMutablePointer<authflow_gerror>?) -> Void
    typealias QuarkStringFn = @convention(c) (UInt32) -> UnsafePointer<CChar>?

    let lookup: LookupFn
    let store: StoreFn
    let clear: ClearFn
    let search: SearchFn
    let delete: DeleteFn
    let free: FreeFn
    let attributes: AttributesFn
    let tableNew: TableNewFn
    let tableInsert: TableInsertFn
    let tableLookup: TableLookupFn
    let tableUnref: UnrefFn
    let objectUnref: ObjectUnrefFn
    let listFree: ListFreeFn
    let errorFree: ErrorFreeFn
    let quarkString: QuarkStringFn
    let strHash: UnsafeMutableRawPointer
    let strEqual: UnsafeMutableRawPointer

    /// SECRET_SEARCH_ALL: every match, not only the first.
    static let searchAll: Int32 = 1 << 1

    /// The schema for lookups, searches and removals by name: any item with the attributes
    /// `service` and `account` matches, whatever schema stored it (SECRET_SCHEMA_DONT_MATCH_NAME).
    static var anySchema: UnsafeRawPointer { UnsafeRawPointer(authflow_secret_schema_get(1)) }
    /// The schema authflow stores with (`authflow.Secret`), and searches with for `keyring list`.
    static var ownSchema: UnsafeRawPointer { UnsafeRawPointer(authflow_secret_schema_get(0)) }

    /// The library, loaded once per process when the keychain is first used; the reason in words when it cannot be.
    static let shared: Result<LibSecret, AuthFlowError> = load()

    private static func load() -> Result<LibSecret, AuthFlowError> {
        guard let handle = dlopen(fileName, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(AuthFlowError(.secret, "the OS keychain cannot be used: libsecret cannot be loaded (\(reason))",
                                          hint: "install libsecret (Debian and Ubuntu: apt install libsecret-1-0; Fedora: dnf install libsecret), or use env:, file: or command: for this secret"))
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let lookup = symbol("secret_password_lookupv_sync", as: LookupFn.self),
              let store = symbol("secret_password_storev_sync", as: StoreFn.self),
              let clear = symbol("secret_password_clearv_sync", as: ClearFn.self),
              let search = symbol("secret_password_searchv_sync", as: SearchFn.self),
              let delete = symbol("secret_item_delete_sync", as: DeleteFn.self),
              let free = symbol("secret_password_free", as: FreeFn.self),
              let attributes = symbol("secret_retrievable_get_attributes", as: AttributesFn.self),
              let tableNew = symbol("g_hash_table_new", as: TableNewFn.self),
              let tableInsert = symbol("g_hash_table_insert", as: TableInsertFn.self),
              let tableLookup = symbol("g_hash_table_lookup", as: TableLookupFn.self),
              let tableUnref = symbol("g_hash_table_unref", as: UnrefFn.self),
              let objectUnref = symbol("g_object_unref", as: ObjectUnrefFn.self),
              let listFree = symbol("g_list_free", as: ListFreeFn.self),
              let errorFree = symbol("g_error_free", as: ErrorFreeFn.self),
              let quarkString = symbol("g_quark_to_string", as: QuarkStringFn.self),
              let strHash = dlsym(handle, "g_str_hash"), let strEqual = dlsym(handle, "g_str_equal") else {
            return .failure(AuthFlowError(.secret, "the OS keychain cannot be used: the installed libsecret is older than 0.19",
                                          hint: "update libsecret (Debian and Ubuntu: apt install libsecret-1-0), or use env:, file: or command: for this secret"))
        }
        return .success(LibSecret(lookup: lookup, store: store, clear: clear, search: search, delete: delete, free: free, attributes: attributes,
                                  tableNew: tableNew, tableInsert: tableInsert, tableLookup: tableLookup, tableUnref: tableUnref,
                                  objectUnref: objectUnref, listFree: listFree, errorFree: errorFree, quarkString: quarkString,
                                  strHash: strHash, strEqual: strEqual))
    }

    /// A GHashTable of `attributes` (C strings that must outlive it) for the length of `body`.
    func withAttributes<T>(_ attributes: [(UnsafePointer<CChar>, UnsafePointer<CChar>)], _ body: (OpaquePointer?) throws -> T) rethrows -> T {
        let table = tableNew(strHash, strEqual)
        defer { tableUnref(table) }
        for (key, value) in attributes {
            _ = tableInsert(table, UnsafeMutableRawPointer(mutating: key), UnsafeMutableRawPointer(mutating: value))
        }
        return try body(table)
    }

    /// The attributes `service` and `account` of `name`, as a GHashTable for the length of `body`.
    func withAttributes<T>(of name: KeychainItemName, _ body: (OpaquePointer?) throws -> T) rethrows -> T {
        try name.service.withCString { service in
            try name.account.withCString { account in
                try "service".withCString { serviceKey in
                    try "account".withCString { accountKey in
                        try withAttributes([(serviceKey, service), (accountKey, account)], body)
                    }
                }
            }
        }
    }

    /// The value of `key` in a GHashTable of strings.
    func string(_ table: OpaquePointer?, _ key: String) -> String? {
        key.withCString { tableLookup(table, $0) }.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) }
    }

    /// Runs `body` with a GError slot; returns the error's domain, code and message and frees it.
    func catching<T>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<authflow_gerror>?>) -> T) -> (T, (domain: String, code: Int32, message: String)?) {
        var error: UnsafeMutablePointer<authflow_gerror>?
        let result = body(&error)
        guard let error else { return (result, nil) }
        defer { errorFree(error) }
        let domain = quarkString(error.pointee.domain).map { String(cString: $0) } ?? ""
        let message = error.pointee.message.map { String(cString: $0) } ?? ""
        return (result, (domain, error.pointee.code, message))
    }
}
#endif
