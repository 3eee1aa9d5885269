import ArgumentParser
import AuthFlowCore

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Print shell exports of the token: eval \"$(authflow env PROFILE)\".")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.") var profile: String
    @Option(help: ArgumentHelp("The shell to write for: \(ShellDialects.names.joined(separator: ", ")).", valueName: "SHELL")) var shell = "sh"
    @Option(help: ArgumentHelp("Prefix of the variable names (default: the profile's output.prefix, else AUTHFLOW_).", valueName: "P")) var prefix: String?

    func validate() throws {
        guard ShellDialects.named(shell) != nil else {
            throw ValidationError("unknown shell '\(shell)'; choose one of \(ShellDialects.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        await Runner.run {
            try await Runner.write(profile: profile, options: options, cache: cache, writer: EnvWriter()) { output, _ in
                if let dialect = ShellDialects.named(shell) { output.shell = dialect }
                if let prefix { output.prefix = prefix }
            }
        }
    }
}
