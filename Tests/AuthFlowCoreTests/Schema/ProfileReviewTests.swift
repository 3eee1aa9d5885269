import AuthFlowCore
import Foundation
import Testing

/// The reviewer's notes of `authflow validate`: warnings and notes, never errors.
@Suite struct ProfileReviewTests {
    /// A folder with `authflow.yaml` holding `text`, optionally inside a git repository.
    static func review(_ text: String, git: Bool = false, files: [String: (String, Int)] = [:]) throws -> ProfileValidation {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if git { try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true) }
        for (name, (content, mode)) in files {
            let path = folder.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: mode])
        }
        let path = folder.appendingPathComponent("authflow.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try ProfileValidation.run(path: path, environment: ["HOME": folder.path])
    }

    static let passwordFile = """
        version: 1
        defaults:
          domain: example.okta.com
          client: {id: abc, secret: env:S}
        profiles:
          .user:
            grant: {type: password, username: bob, password: prompt}
          dev: {extends: .user, scopes: [profile]}
          prod: {extends: .user}
          ci: {grant: client_credentials}
        """

    @Test("the password grant: one warning at the shared grant, naming every profile; Okta without openid: a warning each")
    func passwordGrant() throws {
        let result = try Self.review(Self.passwordFile)
        #expect(result.errorCount == 0)
        let password = result.diagnostics.filter { $0.message.contains("RFC 9700") }
        #expect(password.count == 1)
        #expect(password.first?.severity == .warning)
        #expect(password.first?.message.contains("profiles 'dev', 'prod' use the password grant") == true)
        #expect(password.first.map { ($0.location.line, $0.location.column) } ?? (0, 0) == (7, 19))
        #expect(password.first?.hint?.contains("client_credentials") == true && password.first?.hint?.contains("device_code") == true)
        let openid = result.diagnostics.filter { $0.message.contains("openid") }
        #expect(openid.map(\.location.line) == [7, 8], "\(openid)")
        #expect(openid.allSatisfy { $0.severity == .warning && $0.hint?.contains("openid") == true })
    }

    @Test("the password grant against a loopback server is a note; no openid note without an Okta domain")
    func loopbackIsNote() throws {
        let result = try Self.review("""
            version: 1
            profiles:
              local:
                domain: http://127.0.0.1:${PORT:-8080}
                client: {id: abc}
                grant: {type: password, username: bob, password: prompt}
                scopes: [openid]
              idp:
                issuer: https://idp.example.com
                client: {id: abc}
                grant: {type: password, username: bob, password: prompt}
            """)
        #expect(result.diagnostics.map(\.severity) == [.note, .warning])
        #expect(!result.diagnostics.contains { $0.message.contains("openid") })
    }

    @Test("literal: secrets: a warning inside a git repository (source masked), nothing outside one")
    func literalInRepository() throws {
        let file = """
            version: 1
            profiles:
              ci:
                token_url: https://idp.example.com/token
                client: {id: abc, secret: "literal:s3cret"}
                grant: client_credentials
            """
        let inside = try Self.review(file, git: true)
        #expect(inside.diagnostics.count == 1)
        let note = try #require(inside.diagnostics.first)
        #expect(note.severity == .warning && note.masksSource)
        #expect(note.message == "client.secret: a literal: secret in a file inside a git repository (profile 'ci')")
        #expect(!DiagnosticRenderer(source: inside.source).render(inside.diagnostics).contains("s3cret"))
        #expect(try Self.review(file, git: false).diagnostics.isEmpty)
    }

    @Test("a secret file readable by others: a warning with the chmod; a 0600 file: nothing")
    func secretFileMode() throws {
        let file = """
            version: 1
            defaults: {client: {id: abc, secret: file:loose.txt}}
            profiles:
              a: {token_url: https://idp.example.com/token, grant: client_credentials}
              b: {token_url: https://idp.example.com/token, grant: client_credentials, client: {secret: file:tight.txt}}
            """
        let result = try Self.review(file, files: ["loose.txt": ("x", 0o644), "tight.txt": ("y", 0o600)])
        #expect(result.diagnostics.count == 1)
        let note = try #require(result.diagnostics.first)
        #expect(note.location.line == 2 && note.severity == .warning)
        #expect(note.message.contains("loose.txt is readable by others (mode 644) (defaults)"))
        #expect(note.hint?.hasPrefix("run: chmod 600 /") == true)
    }

    @Test("notes do not make a file invalid; errors and notes are reported together, in file order")
    func notesWithErrors() throws {
        let result = try Self.review(Self.passwordFile.replacingOccurrences(of: "ci: {grant: client_credentials}", with: "ci: {grant: client_credentials, retries: many}"))
        #expect(result.errorCount == 1)
        #expect(result.diagnostics.count == 4)
        #expect(result.diagnostics.map(\.location) == result.diagnostics.map(\.location).sorted())
        #expect(try Self.review(Self.passwordFile).profileNames == ["dev", "prod", "ci"])
    }

    @Test("--json: file, line, column, severity, message and hint")
    func json() throws {
        let diagnostic = Diagnostic(.warning, at: SourceLocation(file: "a.yaml", line: 3, column: 7), "m 'x'", hint: nil)
        #expect([diagnostic].jsonText == """
            [
              {
                "column": 7,
                "file": "a.yaml",
                "hint": null,
                "line": 3,
                "message": "m 'x'",
                "severity": "warning"
              }
            ]

            """)
    }

    @Test("a literal: one-time passcode or sent code is a warning: it cannot work twice")
    func literalOneTimeCodes() throws {
        let result = try Self.review("""
            version: 1
            defaults: {domain: example.okta.com, client: {id: abc}}
            profiles:
              otp: {grant: {type: okta_otp, username: bob, otp: literal:123456}, scopes: [openid]}
              sms: {grant: {type: okta_oob, username: bob, channel: sms, code: literal:654321}, scopes: [openid]}
              mfa: {grant: {type: password, username: bob, password: prompt, mfa: {factor: otp, otp: literal:111111}}, scopes: [openid]}
              ok: {grant: {type: okta_otp, username: bob, otp: {command: [oathtool, --totp, -b, JBSWY3DPEHPK3PXP]}}, scopes: [openid]}
            """)
        #expect(result.errorCount == 0)
        let notes = result.diagnostics.filter { $0.message.contains("literal:") }
        #expect(notes.map(\.location.line) == [4, 5, 6], "\(notes)")
        #expect(notes.allSatisfy { $0.severity == .warning && $0.masksSource })
        #expect(notes.first?.message.hasPrefix("grant.otp: a literal: one-time passcode") == true && notes.first?.hint?.contains("oathtool") == true)
        #expect(notes.dropFirst().first?.message.hasPrefix("grant.code: a literal: code cannot match") == true)
        #expect(notes.last?.message.hasPrefix("grant.mfa.otp:") == true)
    }
}
