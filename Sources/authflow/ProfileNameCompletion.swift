import ArgumentParser
import AuthFlowCore
import Foundation

/// Profile names for shell completion: the file is found as the command would find it (`-c` in the
/// words being completed, `$AUTHFLOW_CONFIG`, the upward search, the user's config), and only its
/// names are read; nothing is validated, resolved or sent. Any failure completes nothing.
struct ProfileNameCompletion: Sendable {
    /// The shell's environment.
    var environment: [String: String]
    /// The folder the shell is in.
    var currentDirectory: String

    /// Creates a completer.
    init(environment: [String: String], currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The usable (non-template) profile names starting with `prefix`, in file order. `words` is the
    /// command line as the shell passes it, quotes and all.
    func names(words: [String], prefix: String) -> [String] {
        guard let path = try? ProfileLocator(environment: environment, currentDirectory: currentDirectory).locate(explicit: configOption(in: words)).path,
              let loaded = try? YAMLLoader().load(contentsOf: absolute(path)) else { return [] }
        return (loaded.root?["profiles"]?.pairs ?? []).compactMap(\.key.scalar)
            .filter { ProfileFile.isValidName($0) && !$0.hasPrefix(".") && $0.hasPrefix(prefix) }
    }

    /// The value of the last `-c FILE` (any spelling the commands accept) before a `--`, unquoted.
    func configOption(in words: [String]) -> String? {
        GlobalArguments(words).config.map(Self.unquoted).flatMap { $0.isEmpty ? nil : expandingTilde($0) }
    }

    private func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (currentDirectory as NSString).appendingPathComponent(path)
    }

    /// A shell word without its quoting: `'a b'`, `"a b"`, `a\ b` → `a b` (what a simple word means).
    static func unquoted(_ word: String) -> String {
        var out = "", quote: Character?, escaped = false
        for character in word {
            if escaped { out.append(character); escaped = false; continue }
            switch (character, quote) {
            case ("\\", nil), ("\\", "\""): escaped = true
            case ("'", nil), ("\"", nil): quote = character
            case ("'", "'"), ("\"", "\""): quote = nil
            default: out.append(character)
            }
        }
        return out
    }
}

extension CompletionKind {
    /// Completes profile names from the profile file the command would use (`-c`, `$AUTHFLOW_CONFIG`, ...).
    static var profileNames: CompletionKind {
        .custom { words, _, prefix in
            ProfileNameCompletion(environment: ProcessInfo.processInfo.environment).names(words: words, prefix: prefix)
        }
    }
}
