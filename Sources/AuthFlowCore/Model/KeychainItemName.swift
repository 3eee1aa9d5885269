/// The name of an item in the OS keychain: `SERVICE/ACCOUNT`, as written after `keyring:` and given
/// to `authflow keyring`. On Linux the Secret Service item whose attributes `service` and `account`
/// hold these values; on macOS the generic password with this service and account.
public struct KeychainItemName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The `service` attribute.
    public let service: String
    /// The `account` attribute.
    public let account: String

    /// A name from its parts; neither may be empty or hold a control character, and the service holds no `/`.
    public init?(service: String, account: String) {
        guard Self.problem(service: service, account: account) == nil else { return nil }
        self.service = service
        self.account = account
    }

    /// `SERVICE/ACCOUNT`: the service runs to the first `/`, the account is the rest (it may hold `/`).
    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        self.init(service: String(text[..<slash]), account: String(text[text.index(after: slash)...]))
    }

    /// Why `text` is not a `SERVICE/ACCOUNT` name, in words; nil when it is one.
    public static func problem(_ text: String) -> String? {
        guard let slash = text.firstIndex(of: "/") else {
            return text.isEmpty ? "needs SERVICE/ACCOUNT" : "needs a '/' between service and account"
        }
        return problem(service: String(text[..<slash]), account: String(text[text.index(after: slash)...]))
    }

    private static func problem(service: String, account: String) -> String? {
        if service.isEmpty { return "the service before '/' is empty" }
        if account.isEmpty { return "the account after '/' is empty" }
        if service.contains("/") { return "the service may not hold '/'" }
        if (service + account).unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the service and account may not hold control characters"
        }
        return nil
    }

    /// The example shown in hints.
    public static let example = "keyring:okta/client-secret"

    public var description: String { "\(service)/\(account)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.service, lhs.account) < (rhs.service, rhs.account) }
}
