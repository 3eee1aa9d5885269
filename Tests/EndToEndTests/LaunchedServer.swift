import Foundation
import Testing

/// A child process that writes its port to a file once it listens (`--port 0 --port-file F`).
/// Any implementation with that contract fits: authorization servers, the CONNECT proxy.
final class PortFileProcess: @unchecked Sendable {
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let process: Process
    private let scratch: URL

    private init(port: Int, process: Process, scratch: URL) {
        self.port = port
        self.process = process
        self.scratch = scratch
    }

    /// Starts `executable ARGS --port-file F` and waits (up to `readyTimeout`) for F to hold the port.
    static func start(name: String, executable: URL, arguments: [String], readyTimeout: Duration = .seconds(60)) async throws -> PortFileProcess {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("authflow-e2e-server-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let portFile = scratch.appendingPathComponent("port"), logFile = scratch.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["--port-file", portFile.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try Subprocess.launch(process)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw StartFailure(description: "cannot start \(name) (\(executable.path)): \(error)")
        }

        let deadline = ContinuousClock.now + readyTimeout
        while true {
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return PortFileProcess(port: port, process: process, scratch: scratch)
            }
            let failure: String? = if !process.isRunning {
                "exited with status \(process.terminationStatus) before listening"
            } else if ContinuousClock.now > deadline {
                "did not write its port within \(readyTimeout)"
            } else { nil }
            if let failure {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                let output = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: scratch)
                throw StartFailure(description: "the \(name) \(failure); its output:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    func stop() async {
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard process.isRunning else { return }
        process.terminate()  // SIGTERM: the servers exit 0 and release held requests
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(25))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// An authorization server run as a child process (see `PortFileProcess`).
final class LaunchedServer: AuthorizationServerProcess, @unchecked Sendable {
    let kind: ServerKind
    let baseURL: URL
    let fixture: ServerFixture
    let admin: (any ServerAdmin)?
    private let child: PortFileProcess

    private init(kind: ServerKind, baseURL: URL, fixture: ServerFixture, admin: (any ServerAdmin)?, child: PortFileProcess) {
        self.kind = kind
        self.baseURL = baseURL
        self.fixture = fixture
        self.admin = admin
        self.child = child
    }

    /// Starts `executable ARGS --port-file F` and waits (up to `readyTimeout`) for F to hold the port;
    /// the server is then `SCHEME://HOST:PORT`. `makeAdmin` builds the admin client from the base URL, or returns nil.
    static func start(
        kind: ServerKind,
        executable: URL,
        arguments: [String],
        fixture: ServerFixture,
        scheme: String = "http",
        host: String = "127.0.0.1",
        readyTimeout: Duration = .seconds(60),
        makeAdmin: (URL) -> (any ServerAdmin)?
    ) async throws -> LaunchedServer {
        let child = try await PortFileProcess.start(name: "\(kind) server", executable: executable, arguments: arguments, readyTimeout: readyTimeout)
        guard let url = URL(string: "\(scheme)://\(host):\(child.port)") else {
            await child.stop()
            throw PortFileProcess.StartFailure(description: "no URL for \(scheme)://\(host):\(child.port)")
        }
        return LaunchedServer(kind: kind, baseURL: url, fixture: fixture, admin: makeAdmin(url), child: child)
    }

    func stop() async {
        await child.stop()
    }
}

/// `python3`, or `$AUTHFLOW_E2E_PYTHON`.
func pythonExecutable(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
    try #require(
        ProcessInfo.processInfo.environment["AUTHFLOW_E2E_PYTHON"].map { URL(fileURLWithPath: $0) } ?? Subprocess.which("python3"),
        "python3 is not on PATH; the end-to-end tests need it: run `make test`, which installs the test servers' packages into .build/test-venv",
        sourceLocation: sourceLocation)
}

/// `Servers/okta_authlib_server.py`, started with `python3` (or `$AUTHFLOW_E2E_PYTHON`).
enum AuthlibServer {
    static let script = PackageLayout.servers.appendingPathComponent("okta_authlib_server.py")

    static func start() async throws -> any AuthorizationServerProcess {
        return try await LaunchedServer.start(
            kind: .authlib, executable: try pythonExecutable(), arguments: [script.path, "--port", "0"],
            fixture: .authlib, makeAdmin: { AdminClient(baseURL: $0) })
    }
}

/// The `/__admin/...` API of the Authlib server.
struct AdminClient: ServerAdmin {
    let baseURL: URL

    func reset() async throws {
        _ = try await LoopbackHTTP.send(.post, baseURL.appendingPathComponent("__admin/reset"), body: Data(), expect: 200)
    }

    func inject(_ fault: Fault) async throws {
        _ = try await LoopbackHTTP.send(
            .post, baseURL.appendingPathComponent("__admin/fault"), body: try JSONEncoder().encode(fault),
            contentType: "application/json", expect: 200)
    }

    func requests() async throws -> RecordedRequests {
        let data = try await LoopbackHTTP.send(.get, baseURL.appendingPathComponent("__admin/requests"), expect: 200)
        return try JSONDecoder().decode(RecordedRequests.self, from: data)
    }
}
