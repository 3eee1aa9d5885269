import AuthFlowCore
import Foundation
import Testing

/// The writers that meet other tools: curl, kubectl, GitHub Actions, git, and user templates.
@Suite struct IntegrationWriterTests {
    typealias F = OutputFixtures

    @Test func execCredentialVersionFollowsExecInfo() throws {
        #expect(ExecCredentialWriter.fromExecInfo(nil).writer.apiVersion == ExecCredentialWriter.v1)
        let beta = ExecCredentialWriter.fromExecInfo(#"{"apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}"#)
        #expect(beta.writer.apiVersion == ExecCredentialWriter.v1beta1)
        #expect(beta.interactive == false)
        let text = try beta.writer.write(F.full, options: F.options())
        let object = try #require(JSONValue.parse(Data(text.utf8))?.object)
        #expect(object["kind"] == .string("ExecCredential"))
        #expect(object["status"]?["token"] == .string(F.accessToken))
        #expect(object["status"]?["expirationTimestamp"] == .string("2026-11-29T03:07:47Z"))
    }

    @Test func githubBlocksUseAFreshDelimiterAbsentFromTheValue() throws {
        let delimiters = Delimiters(["EOF", "EOF", "D2", "D3"])
        let actions = GitHubActions(delimiter: { delimiters.next() })
        let output = try actions.render([("A_TOKEN", "xEOFx"), ("B", "plain")], secretNames: ["A_TOKEN"])
        #expect(output.stdout == "::add-mask::xEOFx\n")
        #expect(output.file == "A_TOKEN<<D2\nxEOFx\nD2\nB<<D3\nplain\nD3\n")
    }

    @Test func gitCredentialRefusesSmuggledFields() throws {
        #expect(try GitCredential.parse("protocol=https\nhost=example.com\n\nignored=1\n") == ["protocol": "https", "host": "example.com"])
        #expect(throws: AuthFlowError.self) { try GitCredential.parse("host=a\rb\n") }
        #expect(throws: AuthFlowError.self) { try GitCredential.parse("host=a\0b\n") }
        #expect(throws: AuthFlowError.self) { try GitCredential.parse("no-equals\n") }
        let answer = try GitCredential.answer(username: "x-access-token", token: F.full, options: F.options())
        #expect(answer == "username=x-access-token\npassword=\(F.accessToken)\npassword_expiry_utc=1795921667\n")
        var hostile = F.full
        hostile.accessToken = "abc\nusername=evil"
        #expect(throws: AuthFlowError.self) { try GitCredential.answer(username: "oauth2", token: hostile, options: F.options()) }
    }

    /// Found by the git-credential fuzz target: `=` followed by a combining mark is one Character,
    /// so the line was refused, or split at a later `=` (`k=\u{301}=v` gave key `k=\u{301}`).
    @Test func gitCredentialSplitsOnScalarsAsGitWritesThem() throws {
        #expect(try GitCredential.parse("username=\u{301}alice\n\n") == ["username": "\u{301}alice"])
        #expect(try GitCredential.parse("path=\u{301}=x\nhost=h\n") == ["path": "\u{301}=x", "host": "h"])
        #expect(throws: AuthFlowError.self, "CRLF is still refused") { try GitCredential.parse(Data("host=h\r\n".utf8)) }
    }

    @Test func curlConfigQuotesForCurl() throws {
        #expect(try CurlWriter().write(F.full, options: F.options()) == "header = \"Authorization: Bearer \(F.accessToken)\"\n")
        var hostile = F.full
        hostile.accessToken = "a\"b"
        #expect(throws: AuthFlowError.self) { try CurlWriter().write(hostile, options: F.options()) }
    }

    @Test(arguments: [#"a";rm -rf ~;"#, "x' && id && '", "a b", "$(id)", "x'\u{301} && id && '\u{301}"])
    func hostileTokensThroughEveryTemplateMode(_ value: String) throws {
        var token = F.full
        token.accessToken = value
        #expect(throws: AuthFlowError.self) { try F.template(.none).write(token, options: F.options()) }
        let json = try F.template(.json).write(token, options: F.options())
        #expect(json.contains("token=\(JSONValue.quote(value))"))
        let single = TemplateWriter(name: "s", parts: [.text("T="), .field("access_token"), .text("\n")], escape: .shell)
        let out = try RealShell.sh.evaluate(try single.write(token, options: F.options()), printing: ["T"])
        #expect(out == value + "\n")
    }

    @Test func templateFieldsParseWithOffsets() {
        let parsed = TemplateWriter.parse("a {{x}} b {{ y }}")
        #expect(parsed.parts == [.text("a "), .field("x"), .text(" b "), .field("y")])
        #expect(parsed.fields.map(\.offset) == [2, 10])
    }
}

final class Delimiters: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String]
    init(_ items: [String]) { self.items = items }
    func next() -> String { lock.withLock { items.isEmpty ? "Z" : items.removeFirst() } }
}
