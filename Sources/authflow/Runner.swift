import AuthFlowCore
import Foundation

/// The shared path of the commands: find and load the profile file, get the token and write it;
/// what the command returns is written by `Outcome.finish()`.
enum Runner {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Loads the profile file named by the options or found by the search; a file found by the
    /// search must be trusted unless `requireTrust` is false (commands that resolve nothing).
    static func loadFile(_ options: GlobalOptions, requireTrust: Bool = true) throws -> ProfileFile {
        try loadFile(config: options.config, requireTrust: requireTrust)
    }

    /// The profile file `config` names, or the one the search finds; see `loadFile(_:requireTrust:)`.
    static func loadFile(config: String?, requireTrust: Bool = true) throws -> ProfileFile {
        let located = try ProfileLocator(environment: environment, note: { Console.error($0) }).locate(explicit: config)
        return try ProfileFile.load(located, environment: environment, requireTrust: requireTrust)
    }

    /// The named profile, ready to use.
    static func profile(_ name: String, _ options: GlobalOptions) throws -> Profile {
        try loadFile(options).profile(named: name, environment: environment)
    }

    /// The profile's token, from the cache or the server as `cache` says.
    static func token(for profile: Profile, _ options: GlobalOptions, cache: CacheOptions, interactive: Bool = true) async throws -> TokenSet {
        try await service(options, interactive: interactive).token(for: profile, policy: cache.policy)
    }

    /// The token service with the options' trace, a prompter (unless not `interactive`) and warnings on stderr.
    static func service(_ options: GlobalOptions, interactive: Bool = true) -> TokenService {
        service(verbose: options.verbose, browser: options.browser, interactive: interactive)
    }

    /// The token service for `--verbose` and `--[no-]browser` as given (the fast path passes the defaults).
    static func service(verbose: Bool, browser: Bool?, interactive: Bool = true) -> TokenService {
        // Waits (retries, polls for approval) are announced on stderr; a countdown line is cleared
        // before anything else is written there.
        let waits = WaitAnnouncer(terminal: WaitAnnouncer.stderrIsTerminal(environment), verbose: verbose)
        let trace = verbose ? HTTPTrace { waits.clear(); Console.error($0 + "\n") } : nil
        let prompter: any SecretPrompter = interactive ? TerminalPrompter() : NoPrompt()
        var service = TokenService(environment: environment, trace: trace, prompter: prompter, warn: { waits.clear(); warn($0) })
        var interaction = Browser.interaction(browser: browser, environment: environment)
        let show = interaction.show
        interaction.show = { waits.clear(); show($0) }
        service.interaction = interaction
        service.announce = { waits.announce($0) }
        return service
    }

    /// Prints a warning on stderr.
    @Sendable static func warn(_ text: String) {
        Console.error("authflow: warning: \(text)\n")
    }

    /// Loads, acquires and writes with `writer`.
    static func write(profile name: String, options: GlobalOptions, cache: CacheOptions, writer: any OutputWriter, interactive: Bool = true, file: ProfileFile? = nil,
                      configure: (inout OutputOptions, Profile) throws -> Void = { _, _ in }) async throws -> String {
        let profile = try (file ?? loadFile(options)).profile(named: name, environment: environment)
        return try await write(profile, service: service(options, interactive: interactive), policy: cache.policy, writer: writer, configure: configure)
    }

    /// Acquires `profile`'s token with `service` and `policy` and writes it with `writer`.
    static func write(_ profile: Profile, service: TokenService, policy: CachePolicy, writer: any OutputWriter,
                      configure: (inout OutputOptions, Profile) throws -> Void = { _, _ in }) async throws -> String {
        var outputOptions = OutputOptions(profile: profile.name, prefix: profile.outputPrefix)
        try configure(&outputOptions, profile)
        let token = try await service.token(for: profile, policy: policy)
        outputOptions.now = Date()
        return try writer.write(token, options: outputOptions)
    }
}

/// stderr, written unbuffered.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Refuses to prompt: the caller (kubectl with `interactive: false`) has no user to ask.
struct NoPrompt: SecretPrompter {
    func ask(_ label: String) throws -> String {
        throw AuthFlowError(.secret, "\(label.trimmingCharacters(in: CharacterSet(charactersIn: ": "))): 'prompt' is not allowed here (the caller is not interactive)",
                            hint: "use env:, file:, keyring: or command: for this secret, or run the command on a terminal once to fill the cache")
    }
}
