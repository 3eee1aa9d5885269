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

    /// Creates the service.
    public init(environment: [String: String], trace: HTTPTrace? = nil, prompter: any SecretPrompter = TerminalPrompter(),
                warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.environment = environment
        self.trace = trace
        self.prompter = prompter
        self.warn = warn
    }

    /// A fresh token for `profile`.
    public func token(for profile: Profile) async throws -> TokenSet {
        try await withTransport(for: profile) { transport in
            let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
            let resolver = SecretResolver(environment: environment, baseDirectory: profile.directory, prompter: prompter, warn: warn)
            return try await TokenClient(transport: transport, resolver: resolver).requestToken(for: profile, endpoints: endpoints)
        }
    }

    /// Runs `body` with the profile's transport (timeouts, CA file, proxies, retries) and shuts it down after.
    public func withTransport<T: Sendable>(for profile: Profile, _ body: (any HTTPTransport) async throws -> T) async throws -> T {
        var options = AsyncHTTPTransport.Options()
        options.timeout = profile.timeout
        options.caFile = profile.caFile
        options.environment = environment
        options.trace = trace
        let base = try AsyncHTTPTransport(options: options)
        do {
            let result = try await body(RetryingTransport(base: base, retries: profile.retries))
            await base.shutdown()
            return result
        } catch {
            await base.shutdown()
            throw error
        }
    }
}
