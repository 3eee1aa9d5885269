import ArgumentParser
import AuthFlowCore

/// The one reader of the global options in a command line, as the argument parser accepts them:
/// `-c FILE`, `-cFILE`, `--config FILE`, `--config=FILE`, `-v`, `--verbose` and `--no-cache`.
/// Moving options written before the subcommand, naming an unknown command, the cached fast path,
/// profile-name completion and `exec` all read the words through it, so they agree on what a word
/// means.
struct GlobalArguments {
    /// One word, or an option and its value, as the scanner read it.
    struct Item: Equatable {
        enum Kind: Equatable {
            /// `-c FILE` and its spellings; nil when `-c` or `--config` is the last word.
            case config(String?)
            case verbose
            case noCache
            /// Any other option, `-` followed by something (`--help`, `--min-ttl`, ...).
            case option(String)
            /// `--`: what follows is not options.
            case terminator
            /// A word that is not an option: a command name, a profile, a value of another option.
            case word(String)
        }

        var kind: Kind
        /// The words as written: two for `-c FILE`, one otherwise.
        var written: ArraySlice<String>
    }

    /// The items of `words`, in order. Reading goes on after a `--`; callers stop where they need.
    let items: [Item]

    init(_ words: [String]) {
        var items: [Item] = []
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            let kind: Item.Kind
            var end = index + 1
            switch word {
            case "-c", "--config":
                kind = .config(end < words.endIndex ? words[end] : nil)
                end = min(end + 1, words.endIndex)
            case "-v", "--verbose": kind = .verbose
            case "--no-cache": kind = .noCache
            case "--": kind = .terminator
            default:
                if let value = word.dropPrefix("--config=") {
                    kind = .config(value)
                } else if word.hasPrefix("-c"), word.count > 2 {
                    kind = .config(String(word.dropFirst(2)))
                } else if word.hasPrefix("-"), word.count > 1 {
                    kind = .option(word)
                } else {
                    kind = .word(word)
                }
            }
            items.append(Item(kind: kind, written: words[index..<end]))
            index = end
        }
        self.items = items
    }

    /// The value of the last `-c FILE` before a `--`, as written.
    var config: String? {
        var found: String?
        for item in items {
            if case .terminator = item.kind { break }
            if case .config(let value?) = item.kind { found = value }
        }
        return found
    }

    /// The words with the global options written before the subcommand (`-c FILE`, `-v`) moved to
    /// just after the subcommand path (`cache clear`), where the leaf command declares them.
    func hoisted(commands: [any ParsableCommand.Type]) -> [String] {
        let leading = items.prefix { item in
            switch item.kind {
            case .config(.some), .verbose: true
            default: false  // --help, --version and other options keep their place
            }
        }
        guard !leading.isEmpty else { return items.flatMap(\.written) }
        var rest = items[leading.endIndex...]
        var path: [String] = []
        var level = commands
        while let item = rest.first, case .word(let word) = item.kind, let command = Self.command(word, in: level) {
            path.append(word)
            rest = rest.dropFirst()
            level = command.configuration.subcommands
        }
        return path + leading.flatMap(\.written) + rest.flatMap(\.written)
    }

    /// The error for a word that names no command (`authflow tokn x`), with the closest command as
    /// a suggestion; nil when the words up to the first option name a command path. Checked before
    /// parsing because the parser would call it an unexpected argument.
    func unknownCommand(commands: [any ParsableCommand.Type]) -> (message: String, hint: String)? {
        var path: [String] = []
        var level = commands
        for item in items {
            switch item.kind {
            case .config(.some), .verbose:
                continue
            case .word(let word) where !level.isEmpty && word != "help":
                guard let command = Self.command(word, in: level) else {
                    let names = level.compactMap { $0.configuration.commandName }
                    let within = (["authflow"] + path).joined(separator: " ")
                    let suggestion = CommandSuggestion.didYouMean(word, in: names).map { "; \($0)" } ?? ""
                    return ("unknown command '\(word)'\(path.isEmpty ? "" : " for '\(within)'")\(suggestion)",
                            "see '\(within) --help' for the commands: \(names.joined(separator: ", "))")
                }
                path.append(word)
                // A leaf command's next word is its argument; only a group needs a subcommand next.
                level = command.configuration.subcommands
            default:
                return nil
            }
        }
        return nil
    }

    /// The command named `word` among `commands`.
    static func command(_ word: String, in commands: [any ParsableCommand.Type]) -> (any ParsableCommand.Type)? {
        commands.first { $0.configuration.commandName == word }
    }
}
