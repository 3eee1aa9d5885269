import ArgumentParser
import AuthFlowCore
import Foundation
import Testing
@testable import authflow

/// The one reader of global options: every consumer sees the same words the same way.
@Suite struct GlobalArgumentsTests {
    static let commands = AuthFlow.configuration.subcommands

    @Test("every spelling of -c FILE the parser accepts is read as the profile file; the last one before -- wins", arguments: [
        (["env", "-c", "a.yaml", "prod"], "a.yaml"), (["env", "-ca.yaml", "prod"], "a.yaml"), (["env", "--config=a.yaml", "prod"], "a.yaml"),
        (["--config", "a.yaml", "env", "-c", "b.yaml", "prod"], "b.yaml"), (["exec", "prod", "--", "cmd", "-c", "x.yaml"], nil),
        (["env", "prod", "-c"], nil),
    ] as [([String], String?)])
    func config(words: [String], expected: String?) {
        #expect(GlobalArguments(words).config == expected)
    }

    @Test("options written before the subcommand move after its path, each spelling with its value; others keep their place")
    func hoisting() {
        #expect(GlobalArguments(["-c", "f.yaml", "-v", "cache", "clear", "prod"]).hoisted(commands: Self.commands)
                == ["cache", "clear", "-c", "f.yaml", "-v", "prod"])
        #expect(GlobalArguments(["-cf.yaml", "--config=g.yaml", "env", "prod"]).hoisted(commands: Self.commands)
                == ["env", "-cf.yaml", "--config=g.yaml", "prod"])
        #expect(GlobalArguments(["--help", "env"]).hoisted(commands: Self.commands) == ["--help", "env"])
        #expect(GlobalArguments(["env", "-c", "f.yaml", "prod"]).hoisted(commands: Self.commands) == ["env", "-c", "f.yaml", "prod"])
    }

    @Test("a mistyped command gets a suggestion; global options before it are skipped; an option ends the check")
    func unknownCommands() throws {
        let typo = try #require(GlobalArguments(["-c", "f.yaml", "tokn", "prod"]).unknownCommand(commands: Self.commands))
        #expect(typo.message == "unknown command 'tokn'; did you mean 'token'?")
        let sub = try #require(GlobalArguments(["cache", "clera"]).unknownCommand(commands: Self.commands))
        #expect(sub.message.hasPrefix("unknown command 'clera' for 'authflow cache'"))
        #expect(GlobalArguments(["token", "prod"]).unknownCommand(commands: Self.commands) == nil)
        #expect(GlobalArguments(["--min-ttl", "5m", "tokn"]).unknownCommand(commands: Self.commands) == nil)
    }

    @Test("the fast path takes exactly a fast command, one profile, -c in any spelling and --no-cache once")
    func fastPathCalls() throws {
        let call = try #require(CachedFastPath.Call(["header", "--config=f.yaml", "prod", "--no-cache"]))
        #expect(call.profile == "prod" && call.config == "f.yaml" && call.noCache)
        #expect(CachedFastPath.Call(["token", "-cf.yaml", "prod"])?.config == "f.yaml")
        for refused in [["token", "prod", "--no-cache", "--no-cache"], ["token", "a", "b"], ["token", "prod", "--refresh"],
                        ["token", "help"], ["inspect", "prod"], ["token", "prod", "--"], ["token"]] {
            #expect(CachedFastPath.Call(refused) == nil, "\(refused)")
        }
    }

    @Test("the fast path's command set is what the parser knows, and the parser accepts each spelling the scanner reads")
    func parserAgrees() throws {
        for words in [["token", "-ca.yaml", "prod"], ["token", "--config=a.yaml", "prod"], ["token", "-c", "a.yaml", "prod", "--no-cache"]] {
            let parsed = try #require(try AuthFlow.parseAsRoot(words) as? TokenCommand)
            #expect(parsed.options.config == "a.yaml")
        }
    }
}

/// The exit statuses the command line gives each kind of failure, as the user documentation lists them.
@Suite struct ExitStatusTests {
    @Test("every error kind has the status docs/reference/exit-codes.md gives it")
    func documented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/reference/exit-codes.md")
        let table = try String(contentsOf: docs, encoding: .utf8)
        let documented = Set(table.split(separator: "\n").compactMap { line -> [Int32]? in
            guard line.hasPrefix("| "), let cell = line.split(separator: "|").first else { return nil }
            return cell.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        }.joined())
        for kind in AuthFlowError.Kind.allCases {
            #expect(documented.contains(kind.exitStatus), "\(kind) exits \(kind.exitStatus), which the exit-code table does not list")
        }
        #expect(AuthFlowError.Kind.secret.exitStatus == 78 && AuthFlowError.Kind.refused.exitStatus == 77 && AuthFlowError.Kind.usage.exitStatus == 64)
        #expect(Outcome.verdict("invalid: exp\n", positive: false).status == 1 && Outcome.verdict("valid\n", positive: true).status == 0)
    }
}
