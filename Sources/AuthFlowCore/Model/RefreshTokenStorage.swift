/// `cache.refresh_token`: where a profile's cached refresh token is kept. Access tokens are always
/// in the cache folder, so a cached call never touches the keychain.
public enum RefreshTokenStorage: String, Sendable, Hashable, CaseIterable {
    /// In the cache file, beside the access token (mode 0600); the default.
    case file
    /// In the OS keychain (service `authflow`), never in the cache folder.
    case keyring

    /// The names a profile may write.
    public static let names = allCases.map(\.rawValue)
}
