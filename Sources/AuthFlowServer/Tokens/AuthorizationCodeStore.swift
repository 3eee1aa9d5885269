import Foundation

/// Authorization codes issued by `/v1/authorize`: one minute, one use.
actor AuthorizationCodeStore {
    struct Grant: Sendable {
        var serverID: String
        var clientID: String
        var username: String
        var redirectURI: String
        var challenge: String
        var scopes: [String]
        var authTime: Int
        var expiresAt: Int
    }

    private var codes: [String: Grant] = [:]

    /// Stores `grant` under a new code.
    func issue(_ grant: Grant) -> String {
        codes = codes.filter { $0.value.expiresAt > grant.authTime }
        let code = TokenStore.randomToken()
        codes[code] = grant
        return code
    }

    /// Takes `code` out: it works once, whatever the caller finds next.
    func redeem(_ code: String, now: Int) -> Grant? {
        defer { codes[code] = nil }
        guard let grant = codes[code], grant.expiresAt > now else { return nil }
        return grant
    }
}
