import Foundation
import Testing

/// docs/reference/requests.md: TLS and proxies proven end to end. The binary talks HTTPS to the Authlib server,
/// whose certificate comes from a test CA made at test time (`TLSWorld`): it is refused until the CA
/// is trusted through `tls.ca_file` or `SSL_CERT_FILE`, refused under a name the certificate lacks,
/// tunnelled through a CONNECT proxy by `HTTPS_PROXY` and sent around it by `NO_PROXY`.
/// Client certificates (RFC 8705) are in `MutualTLSTests.swift`.
@Suite("TLS and proxies", .serialized, .tlsWorld)
struct TLSTests {
    /// A client_credentials profile for the fixture's confidential client at `origin`.
    static func profile(_ origin: String, extra: String = "") -> String {
        "domain: \(origin)\nauth_server: default\nclient:\n  id: \(ServerFixture.authlib.clientID)\n  secret: env:E2E_CLIENT_SECRET\n"
            + "grant: client_credentials\nscopes: [api:read]\n" + extra
    }

    /// A sandbox with the client secret, the test CA copied in as `ca.pem`, and `profiles` written.
    static func sandbox(_ world: TLSWorld, _ profiles: KeyValuePairs<String, String>) throws -> Sandbox {
        let sandbox = try Sandbox()
        sandbox.environment["E2E_CLIENT_SECRET"] = ServerFixture.authlib.clientSecret
        try sandbox.write(try world.pki.text("ca.pem"), to: "ca.pem")
        try sandbox.write(ProfileYAML.file(profiles))
        return sandbox
    }

    /// Exit 0 with a token on stdout and nothing on stderr.
    static func expectToken(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let stdout = result.expectSuccess(sourceLocation: sourceLocation)
        #expect(isB64Token(stdout.trimmingCharacters(in: .newlines)), "\(result)", sourceLocation: sourceLocation)
    }

    /// No library internals on stderr: plain words only.
    static func expectPlainWords(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in ["NIOSSL", "BoringSSL", "OPENSSL_internal", "error:1", "handshakeFailed", "sslError"] {
            #expect(!result.stderr.contains(word), "stderr shows '\(word)'; \(result)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Which certificates are trusted

    @Test("without tls.ca_file or SSL_CERT_FILE the test CA's certificate is refused: 69, plain words, one attempt")
    func untrustedWithoutCA() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile(world.server.base)])
        let result = try await sandbox.run("token", "p")
        result.expectFailure(69, "the server's certificate is not trusted", "https://localhost:\(world.port)")
        #expect(result.stderrLines.last?.contains("tls.ca_file") == true, "the hint names tls.ca_file; \(result)")
        Self.expectPlainWords(result)

        // A certificate problem is not retried (retries: 2 is the default): one POST in the trace.
        let traced = try await sandbox.run("token", "p", "--verbose")
        #expect(traced.exitCode == 69, "\(traced)")
        #expect(traced.stderrLines.filter { $0.hasPrefix("> POST ") }.count == 1, "a TLS refusal must not be retried; \(traced)")
    }

    @Test("tls.ca_file (relative to the profile file) makes the server trusted")
    func trustedWithCAFile() async throws {
        let world = try TLSWorld.required()
        let before = try world.tokenRequests().count
        let sandbox = try Self.sandbox(world, ["p": Self.profile(world.server.base, extra: "tls: {ca_file: ca.pem}\n")])
        Self.expectToken(try await sandbox.run("token", "p"))
        let logged = try world.tokenRequests()
        #expect(logged.count == before + 1)
        #expect(logged.last?.client_cert_subject == nil, "no client certificate without tls.client_cert")
    }

    @Test("SSL_CERT_FILE makes the server trusted; an unreadable one is named (66)")
    func trustedWithSSLCertFile() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile(world.server.base)])
        Self.expectToken(try await sandbox.run(["token", "p"], env: ["SSL_CERT_FILE": world.pki.path("ca.pem")]))
        let missing = sandbox.root.appendingPathComponent("no-such-bundle.pem").path
        try await sandbox.run(["token", "p", "--no-cache"], env: ["SSL_CERT_FILE": missing]).expectFailure(66, "SSL_CERT_FILE=\(missing) cannot be read")
    }

    @Test("a tls.ca_file that holds no certificate is named (66)")
    func caFileWithoutCertificate() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile(world.server.base, extra: "tls: {ca_file: notes.txt}\n")])
        try sandbox.write("not a certificate\n", to: "notes.txt")
        try await sandbox.run("token", "p").expectFailure(66, "tls.ca_file", "notes.txt holds no PEM certificate")
    }

    @Test("a trusted certificate for other names is refused: 127.0.0.1 is not in localhost's certificate (69)")
    func hostnameMismatch() async throws {
        let world = try TLSWorld.required()
        let origin = "https://127.0.0.1:\(world.port)"
        let sandbox = try Self.sandbox(world, ["p": Self.profile(origin, extra: "tls: {ca_file: ca.pem}\n")])
        let result = try await sandbox.run(["token", "p"], env: ["SSL_CERT_FILE": world.pki.path("ca.pem")])
        result.expectFailure(69, "the server's certificate does not match the host name", "not issued for 127.0.0.1", origin)
        Self.expectPlainWords(result)
    }

    // MARK: - Proxies

    @Test("HTTPS_PROXY tunnels through the CONNECT proxy: auth.test resolves only there, and the grant succeeds")
    func proxyHonoured() async throws {
        let world = try TLSWorld.required()
        let target = "auth.test:\(world.port)"
        let before = world.proxyTargets().filter { $0 == target }.count
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://\(target)", extra: "tls: {ca_file: ca.pem}\n")])
        Self.expectToken(try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)"]))
        #expect(world.proxyTargets().filter { $0 == target }.count == before + 1, "the proxy saw one CONNECT \(target): \(world.proxyTargets())")
        #expect(try world.tokenRequests().last?.headers["Host"] == target, "the request reached the server through the tunnel")
    }

    @Test("through the proxy the server's certificate is still checked (TLS is end to end)")
    func proxyDoesNotWeakenVerification() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:\(world.port)")])
        let result = try await sandbox.run(["token", "p"], env: ["https_proxy": "127.0.0.1:\(world.proxy.port)"])
        result.expectFailure(69, "the server's certificate is not trusted")
    }

    @Test("NO_PROXY sends the request around the proxy: the proxy sees nothing, and auth.test (known only to the proxy) does not resolve",
          arguments: ["auth.test", "AUTH.TEST", ".test", "*", "example.com, auth.test:PORT", "10.0.0.0/8 auth.test"])
    func noProxyBypasses(entry: String) async throws {
        let world = try TLSWorld.required()
        let before = world.proxyTargets()
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:\(world.port)", extra: "tls: {ca_file: ca.pem}\nretries: 0\n")])
        let noProxy = entry.replacingOccurrences(of: "PORT", with: "\(world.port)")
        let result = try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)", "NO_PROXY": noProxy])
        result.expectFailure(69, "cannot reach https://auth.test:\(world.port)")
        #expect(!result.stderr.contains("through the proxy"), "\(result)")
        #expect(world.proxyTargets() == before, "NO_PROXY=\(noProxy) but the proxy saw \(world.proxyTargets().dropFirst(before.count))")
    }

    @Test("NO_PROXY for another port of the host does not bypass: the proxy sees the CONNECT")
    func noProxyOtherPort() async throws {
        let world = try TLSWorld.required()
        let before = world.proxyTargets().count
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:\(world.port)", extra: "tls: {ca_file: ca.pem}\n")])
        Self.expectToken(try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)", "no_proxy": "auth.test:1"]))
        #expect(world.proxyTargets().dropFirst(before) == ["auth.test:\(world.port)"])
    }

    @Test("localhost never goes through the proxy, with no NO_PROXY at all: the proxy sees nothing")
    func loopbackIsDirect() async throws {
        let world = try TLSWorld.required()
        let before = world.proxyTargets()
        let sandbox = try Self.sandbox(world, ["p": Self.profile(world.server.base, extra: "tls: {ca_file: ca.pem}\n")])
        Self.expectToken(try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)"]))
        #expect(world.proxyTargets() == before, "the proxy saw \(world.proxyTargets().dropFirst(before.count))")
    }

    @Test("a proxy that is down: the error names the proxy, not only the server (69)")
    func proxyDownIsNamed() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:\(world.port)", extra: "tls: {ca_file: ca.pem}\nretries: 0\n")])
        let result = try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:9"])
        result.expectFailure(69, "https://auth.test:\(world.port)", "through the proxy HTTPS_PROXY=http://127.0.0.1:9")
        #expect(result.stderrLines.last?.contains("NO_PROXY") == true, "\(result)")
    }

    @Test("a proxy that cannot reach the server says so, and is named (69)")
    func proxyRefusesTheTunnel() async throws {
        let world = try TLSWorld.required()
        // Port 1 behind the proxy: nothing listens, the proxy answers the CONNECT with 502.
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:1", extra: "tls: {ca_file: ca.pem}\nretries: 0\n")])
        let result = try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "http://127.0.0.1:\(world.proxy.port)"])
        result.expectFailure(69, "through the proxy HTTPS_PROXY=http://127.0.0.1:\(world.proxy.port)", "the proxy did not open a tunnel")
    }

    @Test("an HTTPS_PROXY authflow cannot use is an error naming it (64), never a silent direct connection")
    func unusableProxy() async throws {
        let world = try TLSWorld.required()
        let sandbox = try Self.sandbox(world, ["p": Self.profile("https://auth.test:\(world.port)", extra: "tls: {ca_file: ca.pem}\n")])
        try await sandbox.run(["token", "p"], env: ["HTTPS_PROXY": "https://127.0.0.1:\(world.proxy.port)"])
            .expectFailure(64, "HTTPS_PROXY=https://127.0.0.1:\(world.proxy.port)", "not supported")
    }
}
