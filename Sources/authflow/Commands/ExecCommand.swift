import ArgumentParser
import AuthFlowCore
import Foundation

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the token in its environment (never in its arguments).",
        discussion: """
            The child gets the profile's variables (AUTHFLOW_ACCESS_TOKEN, ...) and AUTHFLOW_PROFILE, but not the             variables the profile reads secrets from (env:NAME); authflow exits with its status. Options go before PROFILE.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).") var command: [String] = []

    func run() async throws {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        let status: Int32
        do {
            guard !arguments.isEmpty else {
                throw AuthFlowError(.usage, "exec needs a command to run", hint: "authflow exec \(profile) -- COMMAND [ARGS...]")
            }
            let loaded = try Runner.profile(profile, options)
            let token = try await Runner.token(for: loaded, options, cache: cache)
            let variables = try EnvWriter().variables(token, options: OutputOptions(profile: loaded.name, prefix: loaded.outputPrefix))
            var environment = Runner.environment.filter { !loaded.secretVariables.contains($0.key) }
            for variable in variables { environment[variable.name] = variable.value }
            environment["AUTHFLOW_PROFILE"] = loaded.name
            status = try ChildProcess(arguments: arguments, environment: environment).run()
        } catch {
            status = Runner.report(error)
        }
        throw ExitCode(status)
    }
}
