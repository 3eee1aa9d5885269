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
        if let unknown = GlobalArguments.unknownCommand(Array(CommandLine.arguments.dropFirst()), commands: AuthFlow.configuration.subcommands) {
            Console.error("authflow: error: \(unknown.message)\nhint: \(unknown.hint)\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
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

    /// The error for a first word that names no command (`authflow tokn x`), with the closest
    /// command as a suggestion; nil when the words up to the first option name a command path.
    /// Checked before parsing because the parser would call it an unexpected argument.
    static func unknownCommand(_ arguments: [String], commands: [any ParsableCommand.Type]) -> (message: String, hint: String)? {
        var rest = arguments[...]
        var path: [String] = []
        var level = commands
        while let word = rest.first {
            if word == "-c" || word == "--config" {
                rest = rest.dropFirst(2)
            } else if word.hasPrefix("--config=") || word == "-v" || word == "--verbose" {
                rest = rest.dropFirst()
            } else if word.hasPrefix("-") || level.isEmpty || word == "help" {
                return nil
            } else if let command = level.first(where: { $0.configuration.commandName == word }) {
                path.append(word)
                rest = rest.dropFirst()
                // A leaf command's next word is its argument; only a group needs a subcommand next.
                level = command.configuration.subcommands
            } else {
                let names = level.compactMap { $0.configuration.commandName }
                let within = (["authflow"] + path).joined(separator: " ")
                let suggestion = CommandSuggestion.didYouMean(word, in: names).map { "; \($0)" } ?? ""
                return ("unknown command '\(word)'\(path.isEmpty ? "" : " for '\(within)'")\(suggestion)",
                        "see '\(within) --help' for the commands: \(names.joined(separator: ", "))")
            }
        }
        return nil
    }

    static func isCommand(_ word: String, in commands: [any ParsableCommand.Type]) -> Bool {
        commands.contains { $0.configuration.commandName == word }
    }
}
