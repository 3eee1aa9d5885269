import AuthFlowCore
import Foundation
import Testing

/// Where things live, found from this file's path (the tests never depend on the working directory).
enum PackageLayout {
    /// `Tests/EndToEndTests/`.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The package root (holds `Package.swift`).
    static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    /// `Tests/EndToEndTests/Servers/`.
    static let servers = testsFolder.appendingPathComponent("Servers", isDirectory: true)
}

/// The built `authflow` executable under test.
enum AuthFlowBinary {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// `$AUTHFLOW_BIN`, else `.build/debug/authflow` in the package root.
    static func url() throws -> URL {
        let parent = ProcessInfo.processInfo.environment
        let candidate = parent["AUTHFLOW_BIN"].map { URL(fileURLWithPath: $0) }
            ?? PackageLayout.root.appendingPathComponent(".build/debug/authflow")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw Missing(description: """
                the authflow binary is missing at \(candidate.path); run `swift build` first \
                (or set AUTHFLOW_BIN to the binary to test)
                """)
        }
        return candidate
    }
}

/// One run of the binary: what the user would see.
struct RunResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    let exitCode: Int32
    let stdout: String
    let stderr: String
    let duration: Duration
    let timedOut: Bool

    /// stderr split into lines (no trailing empty line).
    var stderrLines: [String] {
        var lines = stderr.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var description: String {
        "authflow \(arguments.joined(separator: " ")) → exit \(exitCode)\(timedOut ? " (timed out)" : "")"
            + " in \(duration)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// A private world for one test: a temporary HOME, a working folder for `authflow.yaml`, and an
/// explicit environment. Nothing of the parent's `AUTHFLOW_*`, proxies or XDG settings leaks in.
/// The folder is removed when the sandbox goes away.
final class Sandbox {
    let root: URL
    /// The working directory authflow runs in.
    let work: URL
    let home: URL
    /// Variables every run gets; tests add their own per run.
    var environment: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("authflow-e2e-\(UUID().uuidString)", isDirectory: true)
            .resolvingSymlinksInPath()
        work = root.appendingPathComponent("work", isDirectory: true)
        home = root.appendingPathComponent("home", isDirectory: true)
        for folder in [work, home] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "AUTHFLOW_CACHE_DIR": root.appendingPathComponent("cache").path,
            "LC_ALL": "C.UTF-8",
        ]
    }

    /// A sandbox whose environment holds the server's client secret and user password as
    /// `E2E_CLIENT_SECRET` and `E2E_PASSWORD`.
    convenience init(for server: any AuthorizationServerProcess) throws {
        try self.init()
        environment["E2E_CLIENT_SECRET"] = server.fixture.clientSecret
        environment["E2E_PASSWORD"] = server.fixture.password
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// Writes `text` to `path` (relative to the working folder) and returns its URL. The file is
    /// trusted as `authflow trust` would record it unless `trusted` is false: the tests are its author.
    @discardableResult
    func write(_ text: String, to path: String = "authflow.yaml", trusted: Bool = true) throws -> URL {
        let url = work.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        if trusted {
            let absolute = try #require(TrustStore.absolutePath(url.path))
            try TrustStore(environment: environment).trust(absolutePath: absolute, contents: Array(text.utf8))
        }
        return url
    }

    /// Runs `authflow ARGS` in `directory` (default: the working folder); `env` adds to (or, with
    /// nil, removes from) the sandbox environment for this run.
    func run(_ arguments: String..., env: [String: String?] = [:], in directory: URL? = nil, timeout: Duration = .seconds(30)) async throws -> RunResult {
        try await run(arguments, env: env, in: directory, timeout: timeout)
    }

    func run(_ arguments: [String], env: [String: String?] = [:], in directory: URL? = nil, timeout: Duration = .seconds(30)) async throws -> RunResult {
        var environment = self.environment
        for (name, value) in env { environment[name] = value }
        let output = try await Subprocess.run(
            try AuthFlowBinary.url(), arguments, environment: environment, directory: directory ?? work, timeout: timeout)
        return RunResult(
            arguments: arguments, exitCode: output.signaled ? 128 + output.status : output.status,
            stdout: String(decoding: output.stdout, as: UTF8.self),
            stderr: String(decoding: output.stderr, as: UTF8.self),
            duration: output.duration, timedOut: output.timedOut)
    }

    /// Runs `script` in `sh -c` with `variables` set (and nothing else but PATH); returns stdout.
    func sh(_ script: String, variables: [String: String] = [:]) async throws -> ProcessOutput {
        let sh = try #require(Subprocess.which("sh"), "no sh on PATH")
        var environment = ["PATH": self.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path]
        environment.merge(variables) { $1 }
        return try await Subprocess.run(sh, ["-c", script], environment: environment, directory: work)
    }
}
