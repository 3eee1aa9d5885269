public import Foundation

/// Gets a profile's token: endpoints (static or discovered), then the grant, over one
/// transport with retries. The one entry point the commands use.
public struct TokenService: Sendable {
    /// The process environment (secrets, proxies, `SSL_CERT_FILE`).
    public var environment: [String: String]
    /// The `--verbose` trace, if on.
    public var trace: HTTPTrace?
    /// Where `prompt` secrets are asked.
    public var prompter: any SecretPrompter
    /// Receives warnings for stderr.
    public var warn: @Sendable (String) -> Void

    /// The transport to use instead of opening AsyncHTTPClient's (tests pass an in-memory one);
    /// it is still wrapped in the profile's retries.
    public var transport: (any HTTPTransport)?
    /// The OS keychain: `keyring:` secrets, and refresh tokens of `cache.refresh_token: keyring` profiles.
    public var keychain: any Keychain = SystemKeychain()

    /// Creates the service; `transport` replaces the network (nil: AsyncHTTPClient, per profile).
    public init(environment: [String: String], trace: HTTPTrace? = nil, prompter: any SecretPrompter = TerminalPrompter(),
                warn: @escaping @Sendable (String) -> Void = { _ in }, transport: (any HTTPTransport)? = nil) {
        self.environment = environment
        self.trace = trace
        self.prompter = prompter
        self.warn = warn
        self.transport = transport
    }

    /// The clock.
    public var now: @Sendable () -> Date = Date.init
    /// How interactive grants (device code, browser login) reach the user.
    public var interaction: Interaction = .silent
    /// Told about every wait — a retry, a poll for approval — before it starts (the CLI shows it on stderr).
    public var announce: @Sendable (Wait) -> Void = { _ in }

    /// A token for `profile`: from the cache while it has more than the skew left, else by
    /// refreshing, else by running the grant. The cached path resolves no secret and opens no
    /// connection; the rest runs under the profile's cache lock, so concurrent callers make one
    /// token request between them. For an interactive grant the lock is held while the user signs
    /// in: a second invocation waits (up to the lock timeout) and then uses the token the first
    /// one cached, instead of asking the user to sign in twice.
    public func token(for profile: Profile, policy: CachePolicy = CachePolicy()) async throws -> TokenSet {
        guard policy.enabled else { return try await fetch(profile, refreshing: nil).token }
        let folder = CacheFolder(environment: environment)
        try folder.prepare()
        let cache = tokenCache(folder)
        let key = CacheKey(profile)
        let skew = policy.skew(for: profile)
        if !policy.ignoreCachedAccessToken, let entry = cache.entry(for: key), entry.isFresh(at: now(), skew: skew), !Self.mustMove(entry, of: profile) {
            return entry.token
        }
        let lock = try await FileLock(path: folder.file(key.lockName), timeout: policy.lockTimeout)
        defer { withExtendedLifetime(lock) {} }
        do {
            // Another process may have fetched while we waited for the lock.
            let entry = cache.entry(for: key)
            if !policy.ignoreCachedAccessToken, let entry, entry.isFresh(at: now(), skew: skew) {
                if Self.mustMove(entry, of: profile) {
                    // The profile moved its refresh token to the keychain since this entry was written.
                    do { try cache.store(entry, for: key, storage: .keyring) } catch let error as AuthFlowError { warn("token not cached: \(error.message)") }
                }
                return entry.token
            }
            let refreshToken = try entry.flatMap { try cachedRefreshToken(of: $0, for: key, in: cache, profile: profile) }
            let (token, viaRefresh) = try await fetch(profile, refreshing: refreshToken, cache: cache, key: key)
            if let expiresAt = token.expiresAt, let warning = policy.minTTLWarning(lifetime: expiresAt.timeIntervalSince(now())) {
                warn(warning)
            }
            var stored = token
            if viaRefresh, stored.refreshToken == nil {
                // RFC 6749 §6: a server that does not rotate keeps the old refresh token valid.
                stored.refreshToken = refreshToken
            }
            if let fresh = CacheEntry(token: stored, profile: profile.name, now: now()) {
                do { try cache.store(fresh, for: key, storage: profile.refreshTokenStorage) } catch let error as AuthFlowError { warn("token not cached: \(error.message)") }
            }
            return token
        }
    }

    /// True when `entry` holds a refresh token in its file that `profile` keeps in the keychain.
    static func mustMove(_ entry: CacheEntry, of profile: Profile) -> Bool {
        profile.refreshTokenStorage == .keyring && entry.refreshToken != nil
    }

    /// The token cache in `folder`, with this service's keychain and warnings.
    func tokenCache(_ folder: CacheFolder) -> TokenCache {
        TokenCache(folder: folder, keychain: keychain, warn: warn)
    }

    /// The refresh token cached for `profile`. A keychain that cannot be read fails a `keyring`
    /// profile (the user must unlock it); for a profile moved back to `file` it is a warning, and the
    /// grant runs again.
    func cachedRefreshToken(of entry: CacheEntry, for key: CacheKey, in cache: TokenCache, profile: Profile) throws -> String? {
        do {
            return try cache.refreshToken(of: entry, for: key)
        } catch let error as AuthFlowError where profile.refreshTokenStorage == .file {
            warn("the cached refresh token is not used: \(error.message)")
            return nil
        } catch let error as AuthFlowError {
            throw AuthFlowError(.secret, "the refresh token of profile '\(profile.name)' cannot be read: \(error.message)", hint: error.hint)
        }
    }

    /// A fresh token for `profile` without the cache.
    public func fetch(_ profile: Profile) async throws -> TokenSet {
        try await fetch(profile, refreshing: nil).token
    }

    /// Refreshes with `refreshToken` if there is one; when the server refuses it, re-reads the
    /// cache (it may have been rotated) and runs the grant.
    private func fetch(_ profile: Profile, refreshing refreshToken: String?, cache: TokenCache? = nil, key: CacheKey? = nil) async throws -> (token: TokenSet, viaRefresh: Bool) {
        try await withTransport(for: profile) { transport in
            let endpoints = try await Discovery(transport: transport, cache: cache.map { DiscoveryCache(folder: $0.folder) }).endpoints(for: profile.source)
            var client = TokenClient(transport: transport, resolver: resolver(for: profile), now: now)
            client.interaction = interaction
            client.announce = announce
            if let refreshToken {
                do {
                    return (try await client.refresh(Secret(refreshToken), for: profile, endpoints: endpoints), true)
                } catch let error as AuthFlowError where error.kind == .refused {
                    if let cache, let key, let again = cache.entry(for: key), let rotated = try? cache.refreshToken(of: again, for: key), rotated != refreshToken,
                       let token = try? await client.refresh(Secret(rotated), for: profile, endpoints: endpoints) {
                        return (token, true)
                    }
                    if let cache, let key { cache.remove(key) }
                } catch let error as AuthFlowError where error.mayHaveReachedServer {
                    // A rotating server may have replaced the refresh token and lost its answer:
                    // sending the old one next time would look like a stolen token being replayed.
                    if let cache, let key { cache.remove(key) }
                    throw AuthFlowError(error.kind, error.message, hint: "the cached refresh token was set aside, since the server may have replaced it; run the command again to sign in afresh",
                                        mayHaveReachedServer: true)
                }
            }
            return (try await client.requestToken(for: profile, endpoints: endpoints), false)
        }
    }

    /// The resolver of `profile`'s secrets: the one place it is built, so every request of a run
    /// resolves with the same environment, prompter and warnings.
    public func resolver(for profile: Profile) -> SecretResolver {
        SecretResolver(environment: environment, baseDirectory: profile.directory, prompter: prompter, warn: warn, keychain: keychain)
    }

    /// Runs `body` with the profile's transport (timeouts, CA file, client certificate, proxies,
    /// retries) and shuts it down after. The client certificate's key is resolved here: any
    /// connection of the profile may be asked for the certificate, not only the token request.
    public func withTransport<T: Sendable>(for profile: Profile, _ body: (any HTTPTransport) async throws -> T) async throws -> T {
        if let transport {
            return try await body(RetryingTransport(base: transport, retries: profile.connection.retries, announce: announce))
        }
        var options = AsyncHTTPTransport.Options()
        options.timeout = profile.connection.timeout
        options.caFile = profile.connection.caFile
        options.environment = environment
        options.trace = trace
        if let certificate = profile.connection.clientCertificate {
            options.clientCertificate = (certificate.chainFile, try await resolver(for: profile).resolve(certificate.key, field: "tls.client_key"))
        }
        let base = try AsyncHTTPTransport(options: options)
        do {
            let result = try await body(RetryingTransport(base: base, retries: profile.connection.retries, announce: announce))
            await base.shutdown()
            return result
        } catch {
            await base.shutdown()
            throw error
        }
    }
}
