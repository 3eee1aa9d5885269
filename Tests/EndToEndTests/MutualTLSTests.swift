import Foundation
import Testing

/// RFC 8705 mutual TLS against the HTTPS Authlib server, which knows `mtls-service` by the subject of
/// its client certificate (chain checked against the test CA) and refuses it without one.
extension TLSTests {
    static let clientSubject = "CN=mtls-service,O=authflow e2e tests"

    /// A client_credentials profile for `mtls-service` presenting `cert` with the key `key` (a reference).
    static func mtlsProfile(_ world: TLSWorld, cert: String = "client.pem", key: String = "file:client.key", auth: String? = "tls_client_auth") -> String {
        "domain: \(world.server.base)\nauth_server: default\nclient:\n  id: mtls-service\n" + (auth.map { "  auth: \($0)\n" } ?? "")
            + "tls:\n  ca_file: ca.pem\n  client_cert: \(cert)\n  client_key: \(key)\ngrant: client_credentials\nscopes: [api:read]\n"
    }

    /// Copies the PKI's `names` into the sandbox (keys mode 0600).
    static func install(_ names: [String], from world: TLSWorld, in sandbox: Sandbox) throws {
        for name in names {
            let url = try sandbox.write(try world.pki.text(name), to: name)
            if name.hasSuffix(".key") { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path) }
        }
    }

    @Test("tls_client_auth: the key from file:, env: or command: works; the body carries client_id and no secret",
          arguments: ["file", "env", "command"])
    func mutualTLS(source: String) async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["client.pem", "client.key"], from: world, in: sandbox)
        let key = switch source {
        case "env": "env:CLIENT_KEY"
        case "command": "{command: [cat, client.key]}"
        default: "file:client.key"
        }
        sandbox.environment["CLIENT_KEY"] = try world.pki.text("client.key")
        try sandbox.write(ProfileYAML.file(["m": Self.mtlsProfile(world, key: key)]))
        Self.expectToken(try await sandbox.run("token", "m"))
        let request = try #require(try world.tokenRequests().last)
        #expect(request.form["client_id"] == "mtls-service")
        #expect(request.form["client_secret"] == nil && request.form["client_assertion"] == nil)
        #expect(request.headers["Authorization"] == nil)
        #expect(request.client_cert_subject == Self.clientSubject)
        let fingerprints = try JSONDecoder().decode([String: String].self, from: Data(try world.pki.text("fingerprints.json").utf8))
        #expect(request.client_cert_sha256 == fingerprints["client"], "the server saw the configured certificate")
    }

    @Test("tls_client_auth is the default with a client certificate and no secret; the certificate works over the proxy too")
    func defaultMethodThroughProxy() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["client.pem", "client.key"], from: world, in: sandbox)
        try sandbox.write(ProfileYAML.file(["m": Self.mtlsProfile(world, auth: nil).replacingOccurrences(of: "localhost", with: "auth.test")]))
        Self.expectToken(try await sandbox.run(["token", "m"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)"]))
        #expect(try world.tokenRequests().last?.client_cert_subject == Self.clientSubject)
    }

    @Test("with client_secret_basic the certificate is presented too (for certificate-bound tokens)")
    func certificateWithSecret() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["client.pem", "client.key"], from: world, in: sandbox)
        try sandbox.write(ProfileYAML.file(["b": Self.profile(world.server.base, extra: "tls: {ca_file: ca.pem, client_cert: client.pem, client_key: file:client.key}\n")]))
        Self.expectToken(try await sandbox.run("token", "b"))
        let request = try #require(try world.tokenRequests().last)
        #expect(request.headers["Authorization"]?.hasPrefix("Basic ") == true)
        #expect(request.client_cert_subject == Self.clientSubject)
    }

    @Test("without a client certificate the server refuses the client: invalid_client (77)")
    func noClientCertificate() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["m": "domain: \(world.server.base)\nauth_server: default\nclient: {id: mtls-service}\ntls: {ca_file: ca.pem}\ngrant: client_credentials\n"])
        try await sandbox.run("token", "m").expectFailure(77, "invalid_client")
        #expect(try world.tokenRequests().last?.client_cert_subject == nil)
    }

    @Test("a trusted certificate the client is not registered with is refused: invalid_client (77)")
    func strangerCertificate() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["stranger.pem", "stranger.key"], from: world, in: sandbox)
        try sandbox.write(ProfileYAML.file(["m": Self.mtlsProfile(world, cert: "stranger.pem", key: "file:stranger.key")]))
        try await sandbox.run("token", "m").expectFailure(77, "invalid_client")
        #expect(try world.tokenRequests().last?.client_cert_subject == "CN=stranger,O=authflow e2e tests")
    }

    @Test("a certificate from a CA the server does not trust fails the handshake: 69, naming the refused client certificate")
    func rogueCertificate() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["rogue.pem", "rogue.key"], from: world, in: sandbox)
        try sandbox.write(ProfileYAML.file(["m": Self.mtlsProfile(world, cert: "rogue.pem", key: "file:rogue.key")]))
        let before = try world.tokenRequests().count
        let result = try await sandbox.run("token", "m")
        result.expectFailure(69, "https://localhost:\(world.port) refused the TLS client certificate")
        #expect(result.stderrLines.last?.contains("tls.client_cert") == true, "\(result)")
        Self.expectPlainWords(result)
        #expect(try world.tokenRequests().count == before, "no request got through")
    }

    @Test("a key that is not the certificate's, or not a key, is exit 78 before any connection; the key is not shown")
    func unusableClientKey() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [:])
        try Self.install(["client.pem", "stranger.key"], from: world, in: sandbox)
        let junk = try sandbox.write("not a key\n", to: "junk.key")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: junk.path)
        try sandbox.write(ProfileYAML.file(["wrong": Self.mtlsProfile(world, key: "file:stranger.key"), "junk": Self.mtlsProfile(world, key: "file:junk.key"),
                                            "unset": Self.mtlsProfile(world, key: "env:NO_SUCH_KEY")]))
        let before = try world.tokenRequests().count
        let wrong = try await sandbox.run("token", "wrong")
        wrong.expectFailure(78, "tls.client_key is not the private key of the certificate in tls.client_cert")
        let keyLines = try world.pki.text("stranger.key").split(separator: "\n").filter { !$0.hasPrefix("-----") }
        #expect(!keyLines.contains { wrong.stderr.contains($0) }, "\(wrong)")
        try await sandbox.run("token", "junk").expectFailure(78, "tls.client_key is not a usable private key")
        try await sandbox.run("token", "unset").expectFailure(78, "NO_SUCH_KEY")
        #expect(try world.tokenRequests().count == before)
    }

    @Test("validate: tls_client_auth without a certificate, and a certificate without its key, are named at their position")
    func validation() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, [
            "a": "domain: example.okta.com\nclient:\n  id: mtls-service\n  auth: tls_client_auth\ngrant: client_credentials\n",
            "b": "domain: example.okta.com\nclient: {id: x}\ntls:\n  client_cert: client.pem\ngrant: client_credentials\n",
        ])
        let result = try await sandbox.run("validate")
        result.expectDiagnostic(file: "authflow.yaml", line: 7, column: 13, message: "client.auth is tls_client_auth but tls.client_cert is not set",
                                sourceLine: "      auth: tls_client_auth",
                                hint: "add tls: {client_cert: client.pem, client_key: file:client.key}; the server knows the client by that certificate (RFC 8705)")
        result.expectDiagnostic(file: "authflow.yaml", line: 13, column: 20, message: "tls.client_cert is set but tls.client_key is not",
                                sourceLine: "      client_cert: client.pem", hint: "add tls.client_key: file:client.key (the certificate's private key, PEM)")
    }
}
