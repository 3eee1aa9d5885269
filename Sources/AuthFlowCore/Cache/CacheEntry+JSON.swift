public import Foundation

extension CacheEntry {
    /// Reads an entry file as `JSONDecoder` with `.secondsSince1970` would, member for member
    /// (required members present and typed, optional ones absent or null, unknown ones ignored),
    /// without `Codable`'s cost on the cached path. nil for anything else, including another format.
    public init?(json data: Data) {
        guard case .object(let members)? = JSONValue.parse(bytes: data),
              let format = members["format"]?.string, format == CacheEntry.currentFormat,
              let profile = members["profile"]?.string,
              let obtainedAt = members["obtainedAt"]?.number,
              let expiresAt = members["expiresAt"]?.number,
              let accessToken = members["accessToken"]?.string,
              let tokenType = members["tokenType"]?.string,
              let scope = CacheEntry.optionalString(members["scope"]),
              let idToken = CacheEntry.optionalString(members["idToken"]),
              let refreshToken = CacheEntry.optionalString(members["refreshToken"]),
              let response = members["response"]?.object else { return nil }
        switch members["refreshTokenInKeyring"] {
        case nil, .null?: refreshTokenInKeyring = nil
        case .bool(let inKeyring)?: refreshTokenInKeyring = inKeyring
        default: return nil
        }
        self.format = format
        self.profile = profile
        self.obtainedAt = Date(timeIntervalSince1970: obtainedAt)
        self.expiresAt = Date(timeIntervalSince1970: expiresAt)
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.scope = scope
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.response = response
    }

    /// `.some(nil)` for an absent or null member, `.some(text)` for a string, nil (not readable) for anything else.
    private static func optionalString(_ value: JSONValue?) -> String?? {
        switch value {
        case nil, .null?: .some(nil)
        case .string(let text)?: .some(text)
        default: nil
        }
    }
}
