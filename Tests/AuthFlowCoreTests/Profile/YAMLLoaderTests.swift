import AuthFlowCore
import Foundation
import Testing

@Suite struct YAMLLoaderTests {
    func parse(_ text: String, limits: YAMLLoader.Limits = .init()) throws -> YAMLNode? {
        try YAMLLoader(limits: limits).parse(Array(text.utf8), file: "t.yaml").root
    }

    @Test func keepsPositionsAndStyles() throws {
        let root = try #require(try parse("a: no\nb:\n  - 'on'\n  - 0123\n"))
        let a = try #require(root["a"])
        #expect(a.scalar == "no")
        #expect(a.location.line == 1 && a.location.column == 4)
        let items = try #require(root["b"]?.items)
        #expect(items[0].value.isSingleQuoted)
        #expect(items[1].scalar == "0123")
        #expect(items[1].location.line == 4 && items[1].location.column == 5)
    }

    @Test func aliasesExpand() throws {
        let root = try #require(try parse("x: &a {k: v}\ny: *a\n"))
        #expect(root["y"]?["k"]?.scalar == "v")
        #expect(root["y"]?.location.line == 2)
    }

    @Test func aliasBombIsRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = try #require(throws: DiagnosticsError.self) { try parse(text) }
        #expect(error.diagnostics.first?.message.contains("expands to more than") == true)
    }

    @Test func deepNestingIsRefused() throws {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(throws: DiagnosticsError.self) { try parse(text) }
        #expect(error.diagnostics.first?.message.contains("nesting deeper than") == true)
        #expect(error.diagnostics.first?.location.line == 1)
    }

    @Test func oversizedInputIsRefused() throws {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 100
        let error = try #require(throws: AuthFlowError.self) { try parse(String(repeating: "a", count: 200), limits: limits) }
        #expect(error.kind == .invalidProfile)
    }

    @Test func syntaxErrorCarriesLibyamlPosition() throws {
        let error = try #require(throws: DiagnosticsError.self) { try parse("a: [1, 2\nb: 3\n") }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message.hasPrefix("YAML syntax error:"))
        #expect(diagnostic.location.line == 2)
    }

    @Test func unknownAliasIsAnError() throws {
        let error = try #require(throws: DiagnosticsError.self) { try parse("a: *nope\n") }
        #expect(error.diagnostics.first?.message == "unknown alias '*nope'")
    }

    @Test func secondDocumentIsRefused() throws {
        let error = try #require(throws: DiagnosticsError.self) { try parse("a: 1\n---\nb: 2\n") }
        #expect(error.diagnostics.first?.location.line == 2)
    }

    @Test func rendersLikeACompiler() {
        let source = "version: 1\nprofiles:\n  prod:\n    scope: [openid]\n"
        let diagnostic = Diagnostic(at: .init(file: "authflow.yaml", line: 4, column: 5), "unknown key 'scope' in profile 'prod'", hint: "did you mean 'scopes'?", length: 5)
        let text = DiagnosticRenderer(source: source).render(diagnostic)
        #expect(text == """
            authflow.yaml:4:5: error: unknown key 'scope' in profile 'prod'
                    scope: [openid]
                    ^~~~~
                hint: did you mean 'scopes'?

            """)
    }

    @Test func masksSecretValuesInSourceLines() {
        var diagnostic = Diagnostic(at: .init(file: "f", line: 1, column: 9), "client.secret: a bare value", length: 7)
        diagnostic.masksSource = true
        let text = DiagnosticRenderer(source: "secret: hunter2\n").render(diagnostic)
        #expect(!text.contains("hunter2"))
        #expect(text.contains("secret: <redacted>"))
    }

    /// Found by the profile fuzz target: a double-quoted key can hold any escape, and messages quote keys.
    @Test func keepsControlCharactersFromFileOutOfTheTerminal() throws {
        let source = "version: 1\nprofiles:\n  \"\\e]0;owned\\a\\e[31m\": {issuer: x}\n"
        let error = try #require(throws: DiagnosticsError.self) {
            let (root, text) = try YAMLLoader().parse(Array(source.utf8), file: "f")
            _ = try ProfileFile(root: root, source: text, path: "f")
        }
        let text = DiagnosticRenderer(source: error.source).render(error.diagnostics)
        #expect(error.diagnostics.contains { $0.message.contains("\u{1B}") }, "the message quotes the key as it is")
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
        #expect(text.contains("']0;owned[31m' is not a valid profile name"))
    }

    /// Found by the profile fuzz target: libyaml counts a lone CR (and NEL, LS, PS) as a line
    /// break, the renderer split on LF only, so the caret sat under a different line's text.
    @Test(arguments: ["\r", "\r\n", "\n", "\u{85}", "\u{2028}"])
    func showsTheLineLibyamlCounts(_ lineBreak: String) throws {
        let source = ["version: 1", "profiles:", "  prod:", "    scope: [openid]", ""].joined(separator: lineBreak)
        let error = try #require(throws: DiagnosticsError.self) {
            let (root, text) = try YAMLLoader().parse(Array(source.utf8), file: "f")
            _ = try ProfileFile(root: root, source: text, path: "f")
        }
        let diagnostic = try #require(error.diagnostics.first { $0.message.hasPrefix("unknown key 'scope'") })
        #expect(diagnostic.location.line == 4)
        #expect(DiagnosticRenderer(source: error.source).render(diagnostic).contains("\n        scope: [openid]\n        ^~~~~\n"))
    }

    /// A one-line file with thousands of problems printed that line once per problem (a 100 KB file
    /// gave 1.3 GB of stderr); now each diagnostic shows a window around its caret.
    @Test func longSourceLinesAreWindowedAroundTheCaret() throws {
        let line = "profiles: {" + (0..<3000).map { "p\($0): x" }.joined(separator: ", ") + "}"
        let source = "version: 1\n" + line + "\n"
        let error = try #require(throws: DiagnosticsError.self) {
            let (root, text) = try YAMLLoader().parse(Array(source.utf8), file: "f")
            _ = try ProfileFile(root: root, source: text, path: "f")
        }
        #expect(error.diagnostics.count >= 3000)
        let text = DiagnosticRenderer(source: error.source).render(error.diagnostics)
        #expect(text.utf8.count < error.diagnostics.count * 600)
        // The caret still sits under the character the diagnostic names, near either end of the line.
        let characters = Array(line)
        for diagnostic in [error.diagnostics[error.diagnostics.count / 2], error.diagnostics[error.diagnostics.count - 1]] {
            let rendered = DiagnosticRenderer(source: error.source).render(diagnostic).split(separator: "\n").map(Array.init)
            #expect(rendered[1].count <= DiagnosticRenderer.window + 6)
            let caret = try #require(rendered[2].firstIndex(of: "^"))
            #expect(rendered[1][caret] == characters[diagnostic.location.column - 1], "caret under \(String(rendered[1]))")
        }
    }
}

extension YAMLNode.Value {
    var isSingleQuoted: Bool {
        if case .scalar(_, .singleQuoted) = self { return true }
        return false
    }
}
