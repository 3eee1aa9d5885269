@testable import AuthFlowCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct TrustStoreTests {
    let root: String
    let environment: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-trust-\(UUID().uuidString)").resolvingSymlinksInPath().path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        environment = ["HOME": root + "/home", "XDG_STATE_HOME": root + "/state"]
    }

    @Test("the fingerprint covers the path and every byte, and cannot be shifted between them")
    func fingerprint() {
        let base = TrustStore.fingerprint(absolutePath: "/r/authflow.yaml", contents: Array("version: 1\n".utf8))
        #expect(base.count == 64)
        #expect(base == TrustStore.fingerprint(absolutePath: "/r/authflow.yaml", contents: Array("version: 1\n".utf8)))
        #expect(base != TrustStore.fingerprint(absolutePath: "/r/authflow.yaml", contents: Array("version: 1\n ".utf8)))
        #expect(base != TrustStore.fingerprint(absolutePath: "/s/authflow.yaml", contents: Array("version: 1\n".utf8)))
        #expect(TrustStore.fingerprint(absolutePath: "/a", contents: Array("b".utf8)) != TrustStore.fingerprint(absolutePath: "/ab", contents: []))
    }

    @Test("unknown, trusted, changed; trusting again replaces the old record; untrust forgets every version")
    func verdicts() throws {
        let store = TrustStore(environment: environment)
        #expect(store.folder.path == root + "/state/authflow")
        let one = Array("version: 1\n".utf8), two = Array("version: 1\n# edited\n".utf8)
        #expect(try store.verdict(absolutePath: "/r/authflow.yaml", contents: one) == .unknown)
        try store.trust(absolutePath: "/r/authflow.yaml", contents: one)
        #expect(try store.verdict(absolutePath: "/r/authflow.yaml", contents: one) == .trusted)
        #expect(try store.verdict(absolutePath: "/r/authflow.yaml", contents: two) == .changed)
        #expect(try store.verdict(absolutePath: "/other/authflow.yaml", contents: one) == .unknown)
        try store.trust(absolutePath: "/other/authflow.yaml", contents: one)
        try store.trust(absolutePath: "/r/authflow.yaml", contents: two)
        #expect(try store.verdict(absolutePath: "/r/authflow.yaml", contents: one) == .changed, "the older version is no longer trusted")
        #expect(store.records().map(\.path) == ["/other/authflow.yaml", "/r/authflow.yaml"])
        #expect(try store.untrust(absolutePath: "/r/authflow.yaml") == 1)
        #expect(try store.verdict(absolutePath: "/r/authflow.yaml", contents: two) == .unknown)
        #expect(try store.untrust(absolutePath: "/r/authflow.yaml") == 0)
    }

    @Test("the state folder is 0700 and records 0600 whatever the umask; without XDG_STATE_HOME it is ~/.local/state/authflow")
    func permissions() throws {
        #expect(TrustStore(environment: ["HOME": "/h"]).folder.path == "/h/.local/state/authflow")
        let old = umask(0)
        defer { umask(old) }
        let store = TrustStore(environment: environment)
        try store.trust(absolutePath: "/r/authflow.yaml", contents: [])
        var info = stat()
        stat(store.folder.path, &info)
        #expect(info.st_mode & 0o777 == 0o700)
        let record = try #require(FileManager.default.contentsOfDirectory(atPath: store.folder.path).first { $0.hasPrefix("trusted-") })
        stat(store.folder.file(record), &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("a state folder others may write to is refused, not believed")
    func unsafeFolder() throws {
        let store = TrustStore(environment: environment)
        try store.trust(absolutePath: "/r/authflow.yaml", contents: [])
        chmod(store.folder.path, 0o777)
        let error = #expect(throws: AuthFlowError.self) { try store.verdict(absolutePath: "/r/authflow.yaml", contents: []) }
        #expect(error?.kind == .cannotCreate && error?.message.contains("state folder") == true && error?.message.contains("writable by others") == true)
    }

    @Test("a file found by the search is used only when trusted; -c and AUTHFLOW_CONFIG files are used as they are")
    func loading() throws {
        let path = root + "/authflow.yaml"
        let text = "version: 1\nprofiles:\n  p:\n    token_url: https://idp.example.com/token\n    client: {id: abc}\n    grant: client_credentials\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let refused = #expect(throws: AuthFlowError.self) { try ProfileFile.load((path, .search), environment: environment) }
        #expect(refused?.kind == .invalidProfile && refused?.message == "\(path) is not trusted")
        #expect(refused?.details.contains("https://idp.example.com/token (profile 'p')") == true)
        _ = try ProfileFile.load((path, .option), environment: environment)
        _ = try ProfileFile.load((path, .environment), environment: environment)
        _ = try ProfileFile.load((path, .search), environment: environment, requireTrust: false)
        try TrustStore(environment: environment).trust(absolutePath: path, contents: Array(text.utf8))
        _ = try ProfileFile.load((path, .search), environment: environment)
    }

    @Test("trust follows the real file: a link to a trusted file is trusted, the link's own path is not what is recorded")
    func symlinks() throws {
        let real = root + "/real.yaml", link = root + "/authflow.yaml"
        try Data("version: 1\n".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(TrustStore.absolutePath(link) == real)
        #expect(TrustStore.absolutePath(root + "/missing.yaml") == nil)
    }

    @Test("the summary lists endpoints, secret sources, commands, variables and CA files, with control characters removed")
    func summary() throws {
        let text = """
            version: 1
            defaults:
              client: {id: abc, secret: "env:OKTA_SECRET"}
            profiles:
              okta:
                domain: ${HOST:-example.okta.com}
                auth_server: default
                grant: {type: password, username: u, password: "file:~/.ssh/id_ed25519"}
                scopes: [openid]
              oidc:
                issuer: https://idp.example.com
                client:
                  id: abc
                  secret: {command: [sh, -c, "evil\\e[2J"]}
                grant: client_credentials
                tls: {ca_file: ./ca.pem, client_cert: certs/me.pem, client_key: "file:~/.config/me.key"}
              same:
                domain: example.okta.com
                auth_server: default
                grant: client_credentials
            """
        let file = try ProfileFile(root: YAMLLoader().parse(Array(text.utf8), file: "/r/authflow.yaml").root, source: text, path: "/r/authflow.yaml")
        let summary = file.trustSummary()
        #expect(summary == """
            /r/authflow.yaml would, once trusted:
              send token requests to:
                domain: ${HOST:-example.okta.com} (profile 'okta')
                issuer https://idp.example.com, whose discovery document names the token endpoint (profile 'oidc')
                https://example.okta.com/oauth2/default/v1/token (profile 'same')
              read secrets from:
                env:OKTA_SECRET (defaults: client.secret)
                file:~/.ssh/id_ed25519 (profile 'okta': grant.password)
                file:~/.config/me.key (profile 'oidc': tls.client_key)
              run commands:
                command: [sh, -c, evil[2J] (profile 'oidc': client.secret)
              read environment variables:
                HOST
              trust the CA certificates in:
                /r/ca.pem (profile 'oidc')
              present the TLS client certificate in:
                /r/certs/me.pem (profile 'oidc')

            """)
        // Nothing is expanded (the summary takes no environment): `${HOST:-...}` is shown as written,
        // not as its default, since once trusted the variable's value would be used.
        #expect(!summary.contains("https://example.okta.com/oauth2/default/v1/token (profiles"))
    }

    @Test("the trust check hashes the bytes that were parsed: the loader refuses bytes that are not UTF-8")
    func invalidUTF8() {
        #expect(throws: DiagnosticsError.self) { try YAMLLoader().parse([0x76, 0x3a, 0x20, 0xff, 0xfe, 0x0a], file: "f.yaml") }
    }

    @Test("VariableExpander.names finds every ${VAR}, with or without a default, and skips $${")
    func variableNames() {
        #expect(VariableExpander.names(in: "https://${A}.${B:-x}/$${C}/${D}") == ["A", "B", "D"])
        #expect(VariableExpander.names(in: "plain").isEmpty)
    }
}
