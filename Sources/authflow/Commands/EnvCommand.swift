import ArgumentParser
import AuthFlowCore

struct EnvCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print shell exports of the token: eval \"$(authflow env PROFILE)\".",
        discussion: """
            eval "$(authflow env prod)" sets nothing when authflow fails, but its status is that of
            eval "", so && and set -e carry on without a token. Forms that keep the failure:
              out=$(authflow env prod) && eval "$out"
              authflow exec prod -- CMD ARGS...       (the token only in CMD's environment)
              eval "$(authflow shell-init bash)"      (once, in ~/.bashrc; then: authflow_env prod)
            Variables of the set this token lacks (an ID token, a scope) are unset, so none is left
            from an earlier profile.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Option(help: ArgumentHelp("The shell to write for: \(ExportShell.names.joined(separator: ", ")) (default: sh).", valueName: "SHELL"),
            transform: ExportShell.argument) var shell: ExportShell?
    @Option(help: ArgumentHelp("Prefix of the variable names (default: the profile's output.prefix, else AUTHFLOW_).", valueName: "P")) var prefix: String?
    @Flag(help: "With --shell github: append to $GITHUB_OUTPUT (step outputs) instead of $GITHUB_ENV.") var output = false

    func validate() throws {
        if output, !(shell?.isGitHub ?? false) { throw ValidationError("--output goes with --shell github") }
    }

    func output() async throws -> String {
        switch shell {
        case .github?:
            return try await github()
        case .dialect(let dialect)?:
            return try await write { $0.shell = dialect }
        case nil:
            return try await write { _ in }
        }
    }

    /// The exports in the dialect `choose` sets (the writer's default: sh).
    private func write(_ choose: @escaping (inout OutputOptions) -> Void) async throws -> String {
        try await Runner.write(profile: profile, options: options, cache: cache, writer: EnvWriter()) { output, _ in
            choose(&output)
            if let prefix { output.prefix = prefix }
        }
    }

    /// Masks on stdout; the variables appended to the runner's file.
    private func github() async throws -> String {
        let variable = output ? "GITHUB_OUTPUT" : "GITHUB_ENV"
        guard let path = Runner.environment[variable], !path.isEmpty else {
            throw AuthFlowError(.usage, "--shell github: $\(variable) is not set", hint: "run this inside a GitHub Actions step")
        }
        let loaded = try Runner.profile(profile, options)
        let token = try await Runner.token(for: loaded, options, cache: cache)
        let outputOptions = OutputOptions(profile: loaded.name, prefix: prefix ?? loaded.outputPrefix)
        let variables = try EnvWriter().variables(token, options: outputOptions)
        let secrets: Set<String> = [outputOptions.prefix + "ACCESS_TOKEN", outputOptions.prefix + "ID_TOKEN"]
        let rendered = try GitHubActions().render(variables, secretNames: secrets)
        try GitHubActions.append(rendered.file, to: path)
        return rendered.stdout
    }
}

/// `env --shell`: a shell dialect of the exports, or GitHub Actions' files.
enum ExportShell {
    case dialect(any ShellDialect)
    case github

    /// Every name `--shell` takes.
    static let names = ShellDialects.names + ["github"]

    /// The value of `--shell NAME`.
    static func argument(_ name: String) throws -> ExportShell {
        if name == "github" { return .github }
        guard let dialect = ShellDialects.named(name) else {
            throw ValidationError("unknown shell '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
        return .dialect(dialect)
    }

    var isGitHub: Bool {
        if case .github = self { true } else { false }
    }
}
