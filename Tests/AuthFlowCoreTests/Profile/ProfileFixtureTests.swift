import AuthFlowCore
import Foundation
import Testing

/// Every fixture under Fixtures/profiles: valid ones load; each invalid one reports its
/// expected problems at the expected line and column (`# expect: LINE:COL message`).
@Suite struct ProfileFixtureTests {
    static let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("profiles")

    static func fixtures(_ kind: String) -> [String] {
        guard let folder = root?.appendingPathComponent(kind),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test(arguments: fixtures("valid"))
    func validFixtureLoads(name: String) throws {
        let path = try #require(Self.root).appendingPathComponent("valid/\(name)").path
        let file = try ProfileFile.load(path: path)
        #expect(!file.profileNames.isEmpty)
    }

    @Test(arguments: fixtures("invalid"))
    func invalidFixtureReportsExpectedProblems(name: String) throws {
        let path = try #require(Self.root).appendingPathComponent("invalid/\(name)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expectations = text.split(separator: "\n").compactMap { line -> (line: Int, column: Int, message: String)? in
            guard line.hasPrefix("# expect: ") else { return nil }
            let rest = line.dropFirst("# expect: ".count)
            let parts = rest.split(separator: " ", maxSplits: 1)
            let position = parts[0].split(separator: ":").compactMap { Int($0) }
            return (position[0], position[1], String(parts[1]))
        }
        let hints = text.split(separator: "\n").filter { $0.hasPrefix("# expect-hint: ") }.map { String($0.dropFirst("# expect-hint: ".count)) }
        #expect(!expectations.isEmpty, "fixture \(name) has no '# expect:' line")
        let error = try #require(throws: DiagnosticsError.self) { try ProfileFile.load(path: path) }
        for expected in expectations {
            let match = error.diagnostics.first { $0.location.line == expected.line && $0.location.column == expected.column && $0.message.contains(expected.message) }
            #expect(match != nil, "\(name): expected \(expected.line):\(expected.column) \(expected.message); got \(error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" })")
        }
        for hint in hints {
            #expect(error.diagnostics.contains { $0.hint?.contains(hint) == true }, "\(name): no hint containing '\(hint)'")
        }
    }

    @Test func validFixtureValuesAreReadAsWritten() throws {
        let folder = try #require(Self.root)
        let scalars = try ProfileFile.load(path: folder.appendingPathComponent("valid/scalars.yaml").path)
        let profile = try scalars.profile(named: "no", environment: [:])
        #expect(profile.client.id == "0123")
        #expect(profile.request.scopes == ["yes", "off"])
        guard case .password(let username, .literal(let password), _) = profile.grant else {
            Issue.record("expected a password grant with a literal password")
            return
        }
        #expect(username == .plain("on"))
        #expect(password.reveal() == "no")
    }

    @Test func mergesDefaultsAndExtends() throws {
        let file = try ProfileFile.load(path: try #require(Self.root).appendingPathComponent("valid/full.yaml").path)
        #expect(file.profileNames == ["prod", "ci", "local", "discovery"])
        let ci = try file.profile(named: "ci", environment: [:])
        #expect(ci.grant == .clientCredentials)
        #expect(ci.request.scopes == ["api:read"])
        #expect(ci.outputPrefix == "OKTA_")
        #expect(ci.connection.timeout == .seconds(5))
        #expect(ci.connection.retries == 1)
        #expect(ci.client.secret == .env("OKTA_CLIENT_SECRET"))
        #expect(ci.request.params.map(\.name) == ["prompt"])
        guard case .okta(let base, let server) = ci.source else {
            Issue.record("expected an Okta source")
            return
        }
        #expect(base.absoluteString == "https://example.okta.com")
        #expect(server == "default")
        let prod = try file.profile(named: "prod", environment: [:])
        #expect(prod.request.scopes == ["openid", "profile"])
        let local = try file.profile(named: "local", environment: [:])
        #expect(local.client.auth == .clientSecretPost)
        let discovery = try file.profile(named: "discovery", environment: [:])
        #expect(discovery.source == .issuer(try #require(URL(string: "https://login.example.com"))))
        #expect(discovery.connection.caFile?.hasSuffix("/valid/ca.pem") == true)
    }
}
