import ArgumentParser
import AuthFlowCore
import Foundation

extension AuthFlow {
    /// Parses with global options accepted before the subcommand too (`authflow -c f.yaml env prod`),
    /// runs the command and ends the process through `Outcome.finish()`, the one place that writes
    /// stdout and exits. Usage errors are reported in authflow's own shape: `authflow: error:` and a hint.
    static func main() async {
        ProcessHardening.apply()
        switch CachedFastPath.answer(Array(CommandLine.arguments.dropFirst())) {
        case .output(let cached)?:
            Outcome.success(cached).finish()
        case .fetch(let profile, let writer, let policy)?:
            await CachedFastPath.fetch(profile, writer: writer, policy: policy).finish()
        case nil:
            break
        }
        let global = GlobalArguments(Array(CommandLine.arguments.dropFirst()))
        if let unknown = global.unknownCommand(commands: AuthFlow.configuration.subcommands) {
            Console.error("authflow: error: \(unknown.message)\nhint: \(unknown.hint)\n")
            Outcome(output: "", status: AuthFlowError.Kind.usage.exitStatus).finish()
        }
        let arguments = global.hoisted(commands: AuthFlow.configuration.subcommands)
        do {
            var command = try parseAsRoot(arguments)
            if let command = command as? any OutcomeCommand {
                await Outcome.of(command.outcome).finish()
            }
            // Help, --version, completion scripts and command groups: the parser's own.
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = message(for: error).replacingOccurrences(of: "Error: ", with: "")
            let help = arguments.first.map { GlobalArguments.command($0, in: AuthFlow.configuration.subcommands) != nil ? "authflow \($0) --help" : "authflow --help" } ?? "authflow --help"
            Console.error("authflow: error: \(message.split(separator: "\n").first.map(String.init) ?? message)\nhint: see '\(help)'\n")
            Outcome(output: "", status: code.rawValue).finish()
        }
    }
}
