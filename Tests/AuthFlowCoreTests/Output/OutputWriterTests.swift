import AuthFlowCore
import Foundation
import Testing

/// What each writer writes, field by field.
@Suite struct OutputWriterTests {
    typealias F = OutputFixtures

    @Test func registriesAreClosedAndFindByName() {
        #expect(OutputFormats.names == ["raw", "json", "header", "env", "curl", "k8s"])
        #expect(ShellDialects.names == ["sh", "fish", "powershell", "dotenv"])
        for name in OutputFormats.names { #expect(OutputFormats.named(name)?.name == name) }
        for name in ShellDialects.names { #expect(ShellDialects.named(name)?.name == name) }
        #expect(OutputFormats.named("github") == nil && OutputFormats.named("RAW") == nil)
        #expect(ShellDialects.named("bash") == nil)
        #expect(OutputOptions().prefix == "AUTHFLOW_" && OutputOptions().shell.name == "sh" && !OutputOptions().useIDToken)
    }

    @Test func headerAndRawWriteTheChosenToken() throws {
        #expect(try HeaderWriter().write(F.full, options: F.options()) == "Authorization: Bearer \(F.accessToken)\n")
        #expect(try HeaderWriter().write(F.full, options: F.options(useIDToken: true)) == "Authorization: Bearer \(F.idToken)\n")
        #expect(try RawWriter().write(F.full, options: F.options()) == F.accessToken + "\n")
        #expect(try RawWriter().write(F.full, options: F.options(useIDToken: true)) == F.idToken + "\n")
        var lowercase = F.full
        lowercase.tokenType = "bearer"
        #expect(try HeaderWriter().write(lowercase, options: F.options()).hasPrefix("Authorization: Bearer "))
    }

    @Test(arguments: ["a", "abc==", "A-b._~+/9", "x=", "0"])
    func b64TokensAreAccepted(_ value: String) throws {
        var token = F.full
        token.accessToken = value
        #expect(try RawWriter().write(token, options: F.options()) == value + "\n")
    }

    @Test(arguments: ShellDialects.all.map(\.name))
    func envWritesVariablesInOrderAndNeverTheRefreshToken(_ dialect: String) throws {
        let shell = try #require(ShellDialects.named(dialect))
        let full = try EnvWriter().write(F.full, options: F.options(shell))
        let expected = ["ACCESS_TOKEN", "TOKEN_TYPE", "EXPIRES_AT", "SCOPE", "ID_TOKEN"].map { "AUTHFLOW_" + $0 }
        let names = full.split(separator: "\n").map { line in expected.first { line.contains($0 + " ") || line.contains($0 + "=") } }
        #expect(names == expected)
        #expect(full.contains("1795921667") && !full.contains(F.refreshToken) && !full.contains("REFRESH"))
        #expect(try EnvWriter().write(F.full, options: F.options(shell, useIDToken: true)) == full)

        let minimal = try EnvWriter().write(F.minimal, options: F.options(shell, prefix: ""))
        let lines = minimal.split(separator: "\n").map(String.init)
        #expect(lines.count == (shell.name == "dotenv" ? 2 : 5))
        // The missing ones are only ever removed, never set: a stale value from an earlier eval goes.
        let removals = ["EXPIRES_AT", "SCOPE", "ID_TOKEN"].compactMap { shell.unsetLine(name: $0) }
        #expect(Array(lines.dropFirst(2)) == removals)
    }

    @Test(arguments: ["", "_", "MY_APP_", "x1_"])
    func validPrefixesAreUsed(_ prefix: String) throws {
        let out = try EnvWriter().write(F.minimal, options: F.options(prefix: prefix))
        #expect(out.hasPrefix("export \(prefix)ACCESS_TOKEN='opaque-token_123'\n"))
    }

    @Test func dialectsQuoteOnlyWhatTheirShellTreatsAsSpecial() throws {
        #expect(ShDialect().line(name: "X", value: #"a'b\c"#) == #"export X='a'\''b\c'"#)
        #expect(FishDialect().line(name: "X", value: #"a'b\c"#) == #"set -gx X 'a\'b\\c'"#)
        #expect(PowerShellDialect().line(name: "X", value: "a'b‘c’d‚e‛f\"`$g") == "$Env:X = 'a''b‘‘c’’d‚‚e‛‛f\"`$g'")
        #expect(try DotenvDialect().line(name: "X", value: #"a "$b" #c"#) == #"X='a "$b" #c'"#)
        // A quote carrying a combining mark is one Character but still a quote to the shell.
        #expect(ShDialect().line(name: "X", value: "'\u{301}") == "export X=''\\''\u{301}'")
    }

    @Test func jsonDropsTheRefreshTokenAndCountsExpiryFromNow() throws {
        let text = try JSONWriter().write(F.full, options: F.options())
        #expect(text.hasSuffix("}\n") && text.contains("\n  \"access_token\": "))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["refresh_token"] == nil && !text.contains(F.refreshToken))
        #expect(object["expires_in"] as? Int == 3599)
        #expect(object["expires_at"] as? String == "2026-11-29T03:07:47Z")
        #expect(object["profile"] as? String == "prod")
        #expect(object["access_token"] as? String == F.accessToken)
        #expect(object["id_token"] as? String == F.idToken)
        #expect(object["custom"] != nil)

        var expired = F.full
        expired.expiresAt = F.now.addingTimeInterval(-60)
        let late = try #require(try JSONSerialization.jsonObject(with: Data(JSONWriter().write(expired, options: F.options()).utf8)) as? [String: Any])
        #expect(late["expires_in"] as? Int == 0)

        var unknown = F.full
        unknown.expiresAt = nil
        let stale = try #require(try JSONSerialization.jsonObject(with: Data(JSONWriter().write(unknown, options: F.options()).utf8)) as? [String: Any])
        #expect(stale["expires_in"] == nil && stale["expires_at"] == nil)
    }

    @Test func jsonFillsModelledMembersTheResponseLacks() throws {
        let text = try JSONWriter().write(F.with(F.minimal, value: "v"), options: F.options())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["access_token"] as? String == "v#a")
        #expect(object["token_type"] as? String == "Bearer")
        #expect(object["scope"] as? String == "v" && object["id_token"] as? String == "iv")
    }
}
