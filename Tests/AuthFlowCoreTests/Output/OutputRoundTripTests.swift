import AuthFlowCore
import Foundation
import Testing

/// Property: whatever a server puts in a token, running the env output in a real shell sets each variable
/// to exactly that value, and runs nothing else.
@Suite struct OutputRoundTripTests {
    static let handPicked: [String] = [
        "'", "''", "'\\''", "it's", #""double" "quotes""#, "$HOME $(id) ${PATH} `whoami`", "$(touch /tmp/pwned)",
        #"back\slash \' \\ \"#, "!bang !! *glob* ? [a] {a,b} ~root", "50% #hash ; & | < > ( )",
        "🔐🚀👩‍👩‍👧 שלום مرحبا", "’ ‘ ‚ ‛ ’’", "'\u{301} quote with a combining mark", "\\\u{301}",
        "  leading and trailing  ", "", "-n", "=x", "%s%n", "a\u{202E}b", "\u{FEFF}bom", "`$Env:PATH`", "\\'\\'",
    ]

    /// Deterministic random strings built from shell-hostile pieces.
    static let generated: [String] = {
        let pieces = ["'", "\"", "$", "$(id)", "`", "\\", "!", "*", " ", "%", "#", ";", "&", "|", "\u{301}",
                      "🔐", "שלום", "’", "‘", "‚", "‛", "${HOME}", "\\'", "''", "a", "Z9", "~", "{", "}", "=", "-"]
        var state: UInt64 = 0x5EED_CAFE
        func next() -> Int {
            // SplitMix64: a fixed sequence, so a failure reproduces.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        return (0..<24).map { _ in (0..<(1 + next() % 12)).map { _ in pieces[next() % pieces.count] }.joined() }
    }()

    static let values = handPicked + generated

    static func roundTrip(_ shell: RealShell, _ value: String) throws {
        let token = OutputFixtures.with(OutputFixtures.full, value: value)
        let options = OutputFixtures.options(shell.dialect)
        let suffixes = ["ACCESS_TOKEN", "TOKEN_TYPE", "EXPIRES_AT", "SCOPE", "ID_TOKEN"]
        let expected = [token.accessToken, token.tokenType, "1795921667", token.scope ?? "", token.idToken ?? ""]
        let output: String
        do {
            output = try EnvWriter().write(token, options: options)
        } catch let error as AuthFlowError where shell.dialect.name == "dotenv" {
            // dotenv may refuse, but only for a quote or backslash.
            #expect(error.kind == .protocolError)
            #expect(value.unicodeScalars.contains { $0 == "'" || $0 == "\\" })
            return
        }
        let printed = try shell.evaluate(output, printing: suffixes.map { "AUTHFLOW_" + $0 })
        #expect(printed == expected.map { $0 + "\n" }.joined(), "\(shell.name) read back a different value from:\n\(output)")
    }

    @Test(arguments: RealShell.required, values)
    func shellReadsBackTheExactValue(_ shell: RealShell, _ value: String) throws {
        try Self.roundTrip(shell, value)
    }

    @Test(.enabled(if: RealShell.zsh.runsHere, "zsh is not installed (apt-get install zsh)"), arguments: values)
    func zshReadsBackTheExactValue(_ value: String) throws {
        try Self.roundTrip(.zsh, value)
    }

    @Test(.enabled(if: RealShell.fish.runsHere, "fish is not installed (apt-get install fish)"), arguments: values)
    func fishReadsBackTheExactValue(_ value: String) throws {
        try Self.roundTrip(.fish, value)
    }

    @Test(arguments: values)
    func dotenvRefusesOrShReadsBackTheExactValue(_ value: String) throws {
        try Self.roundTrip(.dotenvInSh, value)
    }

    @Test(.enabled(if: RealShell.pwsh.executable != nil, "pwsh is not installed"), arguments: values)
    func powerShellReadsBackTheExactValue(_ value: String) throws {
        try Self.roundTrip(.pwsh, value)
    }

    @Test func generatedValuesAreHostile() {
        #expect(Self.generated.count == 24)
        #expect(Self.generated.contains { $0.contains("'") })
        #expect(Set(Self.generated).count > 20)
    }
}
