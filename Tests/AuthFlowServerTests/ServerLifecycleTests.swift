import _CryptoExtras
import AsyncHTTPClient
import AuthFlowCore
import AuthFlowServer
import Foundation
import JWTKit
import Testing

@Suite("Starting and stopping")
struct ServerLifecycleTests {
    @Test func stopClosesThePort() async throws {
        let running = try await ServeRunner.start(configuration: try TestServer.configuration())
        let server = TestServer(running: running)
        #expect(try await server.get("/oauth2/v1/keys").status == 200)
        await running.stop()
        await #expect(throws: (any Error).self) { try await server.get("/oauth2/v1/keys") }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleConnectionsAreClosed() async throws {
        let running = try await ServeRunner.start(configuration: try TestServer.configuration(), idleTimeout: .seconds(1))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(running.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(connected == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let start = ContinuousClock.now
        var byte: UInt8 = 0
        let got = read(fd, &byte, 1)
        #expect(got == 0, "the server closed the connection (read \(got), errno \(errno))")
        #expect(ContinuousClock.now - start < .seconds(8))
        await running.stop()
    }

    @Test("the activation page escapes a reflected user code on scalars: a quote with a combining mark stays inside the attribute")
    func activationPageEscapesOnScalars() async throws {
        try await TestServer.with { server in
            // %22%CC%81 is '"' + U+0301: one Character, two scalars.
            let page = try await server.get("/activate?user_code=%22%CC%81%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(page.status == 200)
            #expect(!page.text.contains("<script>"), "\(page.text)")
            #expect(page.text.contains("&quot;\u{301}&gt;&lt;script&gt;"), "\(page.text)")
        }
    }

    @Test func aPortInUseIsReportedAsUnavailable() async throws {
        try await TestServer.with { first in
            let error = await #expect(throws: AuthFlowError.self) {
                try await ServeRunner.start(configuration: try TestServer.configuration(), port: first.running.port)
            }
            #expect(error?.kind == .unavailable)
        }
    }

    @Test func anUnresolvableSecretFailsBeforeListening() async throws {
        let yaml = testConfiguration.replacingOccurrences(of: "literal:S3cond-Passw0rd", with: "env:AUTHFLOW_TEST_UNSET_PASSWORD")
        let error = await #expect(throws: AuthFlowError.self) {
            try await ServeRunner.start(configuration: try TestServer.configuration(yaml), resolver: SecretResolver(environment: [:], baseDirectory: "/"))
        }
        #expect(error?.kind == .secret)
        #expect(error?.message.contains("users.testuser2@example.com.password") == true)
        #expect(error?.message.contains("AUTHFLOW_TEST_UNSET_PASSWORD") == true)
    }

    @Test func aSigningKeyFromAFileKeepsTokensValidAcrossRestarts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation.write(to: folder.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        let yaml = testConfiguration + "\nsigning_key: file:key.pem\n"
        let path = folder.appendingPathComponent("serve.yaml").path

        var token = "", kid: JSONValue?
        try await TestServer.with(yaml, path: path) { server in
            token = try #require(try await server.passwordGrant(server: "org", scope: "openid")["access_token"]?.string)
            kid = try await server.get("/oauth2/v1/keys")["keys"]?.arrayOfObjects?.first?["kid"]
        }
        try await TestServer.with(yaml, path: path) { server in
            let jwks = try await server.get("/oauth2/v1/keys")
            #expect(jwks["keys"]?.arrayOfObjects?.first?["kid"] == kid)
            let keys = try await JWTKeyCollection().add(jwksJSON: JSONValue.object(jwks.json).serialized())
            _ = try await keys.verify(token, as: Claims.self)
        }
    }

    @Test func aSigningKeyThatIsNotAnRSAKeyIsASecretError() async throws {
        let yaml = testConfiguration + "\nsigning_key: literal:not a PEM\n"
        let error = await #expect(throws: AuthFlowError.self) { try await ServeRunner.start(configuration: try TestServer.configuration(yaml)) }
        #expect(error?.kind == .secret)
        #expect(error?.message.hasPrefix("signing_key:") == true)
    }
}

extension ServerLifecycleTests {
    @Test func theLogHasOneLinePerRequestAndNoSecrets() async throws {
        let lines = LogLines()
        let running = try await ServeRunner.start(configuration: try TestServer.configuration(), log: lines.append)
        let server = TestServer(running: running)
        _ = try await server.passwordGrant()
        _ = try await server.post(server.tokenPath(), [("grant_type", "password"), ("username", "testuser1@example.com"),
                                                       ("password", "Sentinel-Pa55word"), ("scope", "openid")], basic: confidential)
        _ = try await server.post(server.tokenPath(), [("grant_type", "client_credentials"), ("scope", "api:read")],
                                  basic: (confidential.id, "Sentinel-Secret"))
        await running.stop()
        #expect(lines.all == ["POST /oauth2/default/v1/token 200", "POST /oauth2/default/v1/token 400 invalid_grant",
                              "POST /oauth2/default/v1/token 401 invalid_client"])
        for secret in ["Passw0rd!", "Sentinel", "demo-client-secret"] {
            #expect(!lines.all.joined().contains(secret))
        }
    }
}

/// Collects log lines from the server's tasks; the lock guards `lines`.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    @Sendable func append(_ line: String) { lock.withLock { lines.append(line) } }
}
