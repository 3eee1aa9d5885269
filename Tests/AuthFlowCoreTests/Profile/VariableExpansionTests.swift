import AuthFlowCore
import Foundation
import Testing

@Suite struct VariableExpansionTests {
    func load(_ domain: String) throws -> ProfileFile {
        let text = "version: 1\nprofiles:\n  p:\n    domain: \"\(domain)\"\n    client: {id: abc, secret: env:S}\n    grant: client_credentials\n"
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "authflow.yaml")
        return try ProfileFile(root: parsed.root, source: parsed.source, path: "authflow.yaml")
    }

    @Test(arguments: [
        ("${HOST}", ["HOST": "a.okta.com"], "https://a.okta.com"),
        ("${HOST:-b.okta.com}", [:], "https://b.okta.com"),
        ("${HOST:-b.okta.com}", ["HOST": ""], "https://b.okta.com"),
        ("http://127.0.0.1:${PORT}", ["PORT": "8080"], "http://127.0.0.1:8080"),
    ])
    func expands(template: String, environment: [String: String], expected: String) throws {
        let profile = try load(template).profile(named: "p", environment: environment)
        guard case .okta(let base, _) = profile.source else {
            Issue.record("expected an Okta source")
            return
        }
        #expect(base.absoluteString == expected)
    }

    @Test func unsetVariableNamesIt() throws {
        let file = try load("${OKTA_DOMAIN}")
        let error = try #require(throws: DiagnosticsError.self) { try file.profile(named: "p", environment: [:]) }
        #expect(error.diagnostics.first?.message.contains("environment variable OKTA_DOMAIN is not set") == true)
        #expect(error.diagnostics.first?.location.line == 4)
    }

    @Test func secretReferencesAreNotExpanded() throws {
        let text = "version: 1\nprofiles:\n  p:\n    domain: a.okta.com\n    client: {id: abc, secret: \"literal:${X}\"}\n    grant: client_credentials\n"
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "f")
        let profile = try ProfileFile(root: parsed.root, source: parsed.source, path: "f").profile(named: "p", environment: ["X": "expanded"])
        guard case .literal(let secret) = profile.client.secret else {
            Issue.record("expected a literal secret")
            return
        }
        #expect(secret.reveal() == "${X}")
    }

    @Test func unknownProfileSuggestsClosest() throws {
        let error = try #require(throws: AuthFlowError.self) { try load("a.okta.com").profile(named: "q", environment: [:]) }
        #expect(error.kind == .noInput)
    }
}
