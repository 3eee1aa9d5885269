import ArgumentParser
import AuthFlowCore
import Foundation

struct ExecCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the token in its environment (never in its arguments).",
        discussion: """
            The child gets the profile's variables (AUTHFLOW_ACCESS_TOKEN, ...) and AUTHFLOW_PROFILE, but not the \
            variables the profile reads secrets from (env:NAME); authflow exits with its status. Options may also follow PROFILE when a -- ends them: exec prod --no-cache -- cmd.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).") var command: [String] = []

    /// Nothing on stdout from authflow itself; the command's exit status.
    func outcome() async throws -> Outcome {
        let (options, cache, arguments) = try split()
        guard !arguments.isEmpty else {
            throw AuthFlowError(.usage, "exec needs a command to run", hint: "authflow exec \(profile) -- COMMAND [ARGS...]")
        }
        let loaded = try Runner.profile(profile, options)
        let token = try await Runner.token(for: loaded, options, cache: cache)
        let variables = try EnvWriter().variables(token, options: OutputOptions(profile: loaded.name, prefix: loaded.outputPrefix))
        var environment = Runner.environment.filter { !loaded.secretVariables.contains($0.key) }
        for variable in variables { environment[variable.name] = variable.value }
        environment["AUTHFLOW_PROFILE"] = loaded.name
        return Outcome(output: "", status: try ChildProcess(arguments: arguments, environment: environment).run())
    }

    /// The options and the command. Everything after the profile is captured as it was typed, so
    /// `exec prod --no-cache -- cmd` arrives here as `[--no-cache, --, cmd]`: options written
    /// between the profile and a `--` are exec's own (as in `aws-vault exec prod --duration=1h -- cmd`),
    /// parsed as if written before the profile. Without a `--`, or when the first word after the
    /// profile is not an option, every word is the command.
    func split() throws -> (GlobalOptions, CacheOptions, [String]) {
        guard let first = command.first, first != "--", first.hasPrefix("-"), let dashes = command.firstIndex(of: "--") else {
            return (options, cache, command.first == "--" ? Array(command.dropFirst()) : command)
        }
        let written = Array(command[..<dashes])
        let reparsed: ExecCommand
        do {
            reparsed = try ExecCommand.parse(written + [profile, "--", "true"])
        } catch {
            throw AuthFlowError(.usage, ExecCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad option",
                                hint: "options of exec: see 'authflow exec --help'")
        }
        // The options before the profile still count; those after it add to them.
        var merged = options
        merged.config = reparsed.options.config ?? options.config
        merged.verbose = options.verbose || reparsed.options.verbose
        merged.browser = reparsed.options.browser ?? options.browser
        return (merged, cache.merging(reparsed.cache), Array(command[command.index(after: dashes)...]))
    }
}
