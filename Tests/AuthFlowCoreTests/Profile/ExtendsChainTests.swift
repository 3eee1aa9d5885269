import AuthFlowCore
import Foundation
import Testing

/// `extends` chains on hostile files: long chains resolve in one pass, and cycles are reported at
/// every `extends` that closes them, with the chain as seen from that profile.
@Suite struct ExtendsChainTests {
    func load(_ text: String) throws -> ProfileFile {
        let (root, source) = try YAMLLoader().parse(Array(text.utf8), file: "f")
        return try ProfileFile(root: root, source: source, path: "f")
    }

    /// A 20 KB file with a 1,000-profile chain took a minute to validate (each profile walked the whole chain).
    @Test func longChainResolvesQuickly() throws {
        var text = "version: 1\nprofiles:\n  p0: {token_url: 'https://t.example/t', client: {id: c}, grant: client_credentials}\n"
        for index in 1..<5000 { text += "  p\(index): {extends: p\(index - 1)}\n" }
        let started = ContinuousClock.now
        let file = try load(text)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(file.profileNames.count == 5000)
        #expect(try file.profile(named: "p4999", environment: [:]).client.id == "c")
    }

    @Test func cycleIsReportedFromEachMemberAndOnceForATail() throws {
        let text = "version: 1\ndefaults: {domain: example.okta.com, client: {id: abc}, grant: client_credentials}\nprofiles:\n  a: {extends: b}\n  b: {extends: c}\n  c: {extends: a}\n  tail: {extends: b}\n  self: {extends: self}\n  lost: {extends: nowhere}\n  child: {extends: lost}\n"
        let error = try #require(throws: DiagnosticsError.self) { try load(text) }
        let messages = error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(messages == [
            "4:16 extends: cycle b -> c -> a -> b",
            "5:16 extends: cycle c -> a -> b -> c",
            "6:16 extends: cycle a -> b -> c -> a",
            "8:19 extends: cycle self -> self",
            "9:19 extends: no profile named 'nowhere'",
        ])
    }
}
