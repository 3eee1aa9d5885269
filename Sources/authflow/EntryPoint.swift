import ArgumentParser
import AuthFlowCore
import Foundation

extension AuthFlow {
    /// Parses with global options accepted before the subcommand too (`authflow -c f.yaml env prod`),
    /// and reports usage errors in authflow's own shape: `authflow: error:` and a hint, exit 64.
    static func main() async {
        ProcessHardening.apply()
        switch CachedFastPath.answer(Array(CommandLine.arguments.dropFirst())) {
        case .output(let cached)?:
            FileHandle.standardOutput.write(Data(cached.utf8))
            Foundation.exit(0)
        case .fetch(let profile, let writer, let policy)?:
            await CachedFastPath.fetch(profile, writer: writer, policy: policy)
        case nil:
            break
        }
        let arguments = GlobalArguments.hoist(Array(CommandLine.arguments.dropFirst()), commands: AuthFlow.configuration.subcommands)
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = message(for: error).replacingOccurrences(of: "Error: ", with: "")
            let help = arguments.first.map { GlobalArguments.isCommand($0, in: AuthFlow.configuration.subcommands) ? "authflow \($0) --help" : "authflow --help" } ?? "authflow --help"
            Console.error("authflow: error: \(message.split(separator: "\n").first.map(String.init) ?? message)\nhint: see '\(help)'\n")
            Foundation.exit(code.rawValue)
        }
    }
}

/// Moves the global options written before the subcommand (`-c FILE`, `--config FILE`, `-v`) to
/// just after the subcommand path, where the leaf command declares them.
enum GlobalArguments {
    static func hoist(_ arguments: [String], commands: [any ParsableCommand.Type]) -> [String] {
        var hoisted: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-"), first != "--" {
            if first == "-c" || first == "--config" {
                hoisted.append(contentsOf: rest.prefix(2))
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--config=") || first == "-v" || first == "--verbose" {
                hoisted.append(first)
                rest = rest.dropFirst()
            } else {
                break  // --help, --version and unknown options keep their place
            }
        }
        guard !hoisted.isEmpty else { return arguments }
        // Walk the subcommand path (e.g. `cache clear`) and put the options after it.
        var path: [String] = []
        var level = commands
        while let word = rest.first, let command = level.first(where: { $0.configuration.commandName == word }) {
            path.append(word)
            rest = rest.dropFirst()
            level = command.configuration.subcommands
        }
        return path + hoisted + rest
    }

    static func isCommand(_ word: String, in commands: [any ParsableCommand.Type]) -> Bool {
        commands.contains { $0.configuration.commandName == word }
    }
}
