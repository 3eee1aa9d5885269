import Foundation
import Testing

/// A throwaway PKI that `Servers/test_pki.py` makes at test time (a test CA, a server certificate for
/// `localhost` and `auth.test` only, known, stranger and rogue client certificates). Nothing of it is committed.
struct TestPKI: Sendable {
    let folder: URL

    /// The absolute path of `name` (`ca.pem`, `client.key`, ...).
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The contents of `name`.
    func text(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }

    static func make() async throws -> TestPKI {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-e2e-pki-\(UUID().uuidString)", isDirectory: true)
        let script = PackageLayout.servers.appendingPathComponent("test_pki.py").path
        let output = try await Subprocess.run(try pythonExecutable(), [script, folder.path], environment: ProcessInfo.processInfo.environment,
                                              directory: FileManager.default.temporaryDirectory)
        guard output.status == 0 else {
            throw PortFileProcess.StartFailure(description: "test_pki.py failed: \(String(decoding: output.stderr, as: UTF8.self))")
        }
        return TestPKI(folder: folder)
    }
}

/// One token request as the HTTPS server logged it (`--request-log`).
struct LoggedTokenRequest: Decodable, Sendable {
    let path: String
    let headers: [String: String]
    let form: [String: String]
    let client_cert_subject: String?
    let client_cert_sha256: String?
}

/// The TLS suite's world: the test PKI, the Authlib server over HTTPS (asking for, not requiring,
/// client certificates from the test CA) and a CONNECT proxy that logs its targets.
final class TLSWorld: Sendable {
    @TaskLocal static var current: TLSWorld?

    let pki: TestPKI
    /// `https://localhost:PORT`; `https://127.0.0.1:PORT` is the same server under a name its certificate lacks.
    let server: LaunchedServer
    let requestLog: URL
    let proxy: PortFileProcess
    let proxyLog: URL

    private init(pki: TestPKI, server: LaunchedServer, requestLog: URL, proxy: PortFileProcess, proxyLog: URL) {
        self.pki = pki
        self.server = server
        self.requestLog = requestLog
        self.proxy = proxy
        self.proxyLog = proxyLog
    }

    var port: Int { server.baseURL.port ?? 0 }

    static func start() async throws -> TLSWorld {
        let pki = try await TestPKI.make()
        let requestLog = pki.folder.appendingPathComponent("requests.jsonl"), proxyLog = pki.folder.appendingPathComponent("proxy.log")
        var server: LaunchedServer?
        do {
            let python = try pythonExecutable()
            let https = try await LaunchedServer.start(
                kind: .authlib, executable: python,
                arguments: [AuthlibServer.script.path, "--port", "0", "--tls-cert", pki.path("server.pem"), "--tls-key", pki.path("server.key"),
                            "--client-ca", pki.path("ca.pem"), "--host", "localhost", "--request-log", requestLog.path],
                fixture: .authlib, scheme: "https", host: "localhost", makeAdmin: { _ in nil })
            server = https
            let proxy = try await PortFileProcess.start(
                name: "CONNECT proxy", executable: python,
                arguments: [PackageLayout.servers.appendingPathComponent("connect_proxy.py").path, "--port", "0", "--log", proxyLog.path])
            return TLSWorld(pki: pki, server: https, requestLog: requestLog, proxy: proxy, proxyLog: proxyLog)
        } catch {
            await server?.stop()
            try? FileManager.default.removeItem(at: pki.folder)
            throw error
        }
    }

    func stop() async {
        await server.stop()
        await proxy.stop()
        try? FileManager.default.removeItem(at: pki.folder)
    }

    /// The world of the running suite.
    static func required(sourceLocation: SourceLocation = #_sourceLocation) throws -> TLSWorld {
        try #require(current, "the suite needs the .tlsWorld trait", sourceLocation: sourceLocation)
    }

    /// The token requests logged so far.
    func tokenRequests() throws -> [LoggedTokenRequest] {
        let text = (try? String(contentsOf: requestLog, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LoggedTokenRequest.self, from: Data($0.utf8)) }
    }

    /// The CONNECT targets the proxy saw so far.
    func proxyTargets() -> [String] {
        ((try? String(contentsOf: proxyLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// Gives a suite the TLS world, started before its tests and stopped after: `@Suite(.tlsWorld)`.
struct TLSWorldTrait: SuiteTrait, TestScoping {
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite && testCase == nil ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let world = try await TLSWorld.start()
        do {
            try await TLSWorld.$current.withValue(world) { try await function() }
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }
}

extension Trait where Self == TLSWorldTrait {
    /// The suite's tests share one test PKI, HTTPS server and CONNECT proxy.
    static var tlsWorld: Self { Self() }
}
