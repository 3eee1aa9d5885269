@testable import AuthFlowFuzz
import Foundation
import Testing

/// Every seed in `fuzz/corpus/TARGET/` and every saved crash in `fuzz/crashes/TARGET/`, run
/// through the same checks the fuzzer runs, without sanitizers: a fixed bug stays fixed.
@Suite struct CorpusReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz", isDirectory: true)

    /// `(target, file)` for every input under `fuzz/corpus` and `fuzz/crashes`.
    static let inputs: [Input] = FuzzTargets.all.flatMap { target in
        ["corpus", "crashes"].flatMap { kind in
            let folder = fuzzFolder.appendingPathComponent("\(kind)/\(target.name)", isDirectory: true)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { Input(target: target.name, kind: kind, name: $0) }
        }
    }

    struct Input: Sendable, CustomTestStringConvertible {
        let target: String
        let kind: String
        let name: String
        var url: URL { CorpusReplayTests.fuzzFolder.appendingPathComponent("\(kind)/\(target)/\(name)") }
        var testDescription: String { "\(kind)/\(target)/\(name)" }
    }

    @Test func everyTargetHasSeeds() {
        for target in FuzzTargets.all {
            #expect(Self.inputs.filter { $0.target == target.name && $0.kind == "corpus" }.count >= 5, "fuzz/corpus/\(target.name) needs seeds")
        }
    }

    @Test(arguments: inputs)
    func replay(_ input: Input) throws {
        let target = try #require(FuzzTargets.named(input.target))
        let data = try Data(contentsOf: input.url)
        #expect(throws: Never.self, "\(input.testDescription)") { try target.check(data) }
    }

}

/// The fuzz oracles themselves: the evaluators read each shell's quoting as the shell does, so a
/// writer that mis-quotes is caught rather than agreed with.
@Suite struct ShellEvaluatorTests {
    @Test func shReadsQuotingAndRefusesExpansion() {
        #expect(ShellEvaluators.sh("export A='it'\\''s'")?.value == "it's")
        #expect(ShellEvaluators.sh("export A='x'\\'")?.value == "x'")
        #expect(ShellEvaluators.sh("export A=plain")?.value == "plain")
        #expect(ShellEvaluators.sh("export A='a'b'") == nil, "unbalanced quote")
        #expect(ShellEvaluators.sh("export A=$(id)") == nil, "command substitution")
        #expect(ShellEvaluators.sh("export A='x' B=y") == nil, "a second word")
        #expect(ShellEvaluators.sh("export A='x'\\") == nil, "a trailing backslash continues the line")
        #expect(ShellEvaluators.sh("export 1A='x'") == nil)
    }

    @Test func fishKnowsOnlyTwoEscapesInQuotes() {
        #expect(ShellEvaluators.fish("set -gx A 'it\\'s \\\\ \\n'")?.value == "it's \\ \\n")
        #expect(ShellEvaluators.fish("set -gx A 'it'\\''s'") == nil, "sh-style quoting is not fish's")
        #expect(ShellEvaluators.fish("set -gx A 'x\\'") == nil, "an escaped closing quote leaves the string open")
        #expect(ShellEvaluators.fish("set -gx A (id)") == nil)
    }

    @Test func powerShellDoublesEveryQuoteKind() {
        #expect(ShellEvaluators.powerShell("$Env:A = 'it''s'")?.value == "it's")
        #expect(ShellEvaluators.powerShell("$Env:A = 'a\u{2019}\u{2019}b'")?.value == "a\u{2019}b")
        #expect(ShellEvaluators.powerShell("$Env:A = 'a\u{2019}b'") == nil, "a smart quote closes the string")
        #expect(ShellEvaluators.powerShell("$Env:A = \"$x\"") == nil, "double quotes expand")
    }

    @Test func dotenvHasNoEscapes() {
        #expect(ShellEvaluators.dotenv("A='x y'")?.value == "x y")
        #expect(ShellEvaluators.dotenv("A='x\\'y'") == nil)
        #expect(ShellEvaluators.dotenv("A=x") == nil)
    }

    @Test func shellTargetPassesGoodValuesInEveryDialect() throws {
        let shell = try #require(FuzzTargets.named("shell-quoting"))
        for selector: UInt8 in 0..<4 {
            try shell.check(Data([selector, 0xFF]) + Data("AUTHFLOW_".utf8) + Data([0xFF]) + Data("it's \\ \"t\" \u{2018}x\u{2019} $(id) `id`".utf8))
        }
    }
}
