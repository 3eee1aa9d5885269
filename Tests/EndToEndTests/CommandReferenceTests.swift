import Foundation
import Testing

/// `docs/reference/commands.md` is the built binary's own `--help` for every command, so the page
/// cannot drift from the argument-parser definitions. The commands come from the binary too
/// (`--experimental-dump-help`), so a new command gets a section without anyone remembering to add it.
/// Regenerate: `AUTHFLOW_UPDATE_DOCS=1 swift test --filter CommandReferenceTests`.
@Suite struct CommandReferenceTests {
    /// The command paths under `authflow` (`["cache", "clear"]`), from argument-parser's help dump, in its order.
    static func commandPaths(_ command: [String: Any], parent: [String]) -> [[String]] {
        var out: [[String]] = []
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = sub["commandName"] as? String, name != "help" else { continue }
            out.append(parent + [name])
            out += commandPaths(sub, parent: parent + [name])
        }
        return out
    }

    /// The page: an index, then each command's `--help` verbatim.
    static func page(_ helps: [(path: [String], help: String)]) -> String {
        var out = """
            # Command reference

            <!-- Generated from the built binary's --help; do not edit.
                 Regenerate: AUTHFLOW_UPDATE_DOCS=1 swift test --filter CommandReferenceTests -->

            Each command's `--help`, as the built `authflow` prints it. For what the commands are for, see the
            [guides](../README.md); for exit codes, [Exit codes](exit-codes.md); for what lands on stdout,
            [Output rules](output.md).


            """
        for (path, _) in helps {
            let title = (["authflow"] + path).joined(separator: " ")
            out += "- [`\(title)`](#\(title.replacingOccurrences(of: " ", with: "-")))\n"
        }
        for (path, help) in helps {
            out += "\n## " + (["authflow"] + path).joined(separator: " ") + "\n\n```text\n" + help + "```\n"
        }
        return out
    }

    @Test("the committed docs/reference/commands.md is every command's --help")
    func committedPageIsTheHelp() async throws {
        let sandbox = try Sandbox()
        let dump = try await sandbox.run("--experimental-dump-help")
        #expect(dump.exitCode == 0, "\(dump)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let root = try #require(json["command"] as? [String: Any])
        let paths = Self.commandPaths(root, parent: [])
        #expect(paths.contains(["env"]) && paths.contains(["serve"]) && paths.count >= 15, "\(paths)")
        var helps: [(path: [String], help: String)] = []
        for path in [[]] + paths {
            let result = try await sandbox.run(path + ["--help"])
            #expect(result.exitCode == 0 && !result.stdout.isEmpty, "\(result)")
            helps.append((path, result.stdout))
        }
        let generated = Self.page(helps)
        let url = PackageLayout.root.appendingPathComponent("docs/reference/commands.md")
        if ProcessInfo.processInfo.environment["AUTHFLOW_UPDATE_DOCS"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == generated,
                "docs/reference/commands.md is stale: run AUTHFLOW_UPDATE_DOCS=1 swift test --filter CommandReferenceTests")
    }
}
