import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A private Secret Service for one test: its own D-Bus session bus (`dbus-daemon --session`)
/// and `gnome-keyring-daemon --foreground --components=secrets`, unlocked with a password on stdin,
/// in a temporary HOME and XDG_RUNTIME_DIR. authflow reaches it through `environment`
/// (DBUS_SESSION_BUS_ADDRESS); `secretTool` checks what is stored with the independent secret-tool.
/// Both daemons are killed when the session is stopped or goes away.
final class KeyringSession: @unchecked Sendable {
    /// The programs a session needs; .ci/run installs them (Debian: dbus gnome-keyring libsecret-tools).
    static let tools = ["dbus-daemon", "gnome-keyring-daemon", "secret-tool", "dbus-send"]

    /// Whether keyring tests run: when the tools are installed, and always in CI (`CI=true`), where
    /// .ci/run installs them, so a missing one fails the run instead of skipping it.
    static var runsHere: Bool {
        tools.allSatisfy { Subprocess.which($0) != nil } || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Fails the test (instead of skipping it) when a tool is missing.
    static func requireTools(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for tool in tools {
            _ = try #require(Subprocess.which(tool), "\(tool) is not installed; .ci/run installs dbus, gnome-keyring and libsecret-tools", sourceLocation: sourceLocation)
        }
    }

    let root: URL
    let home: URL
    let runtime: URL
    /// The bus address to give authflow as DBUS_SESSION_BUS_ADDRESS.
    let address: String
    private let bus: Process
    private let keyring: Process?

    /// What authflow needs to reach this session's Secret Service.
    var environment: [String: String] { ["DBUS_SESSION_BUS_ADDRESS": address] }

    /// Starts a bus and, unless `secretService` is false, an unlocked gnome-keyring on it.
    /// `busConfig` replaces the session bus configuration (a bus that can start no service).
    init(secretService: Bool = true, busConfig: String? = nil) async throws {
        try Self.requireTools()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-keyring-\(UUID().uuidString)", isDirectory: true).resolvingSymlinksInPath()
        home = root.appendingPathComponent("home", isDirectory: true)
        runtime = root.appendingPathComponent("run", isDirectory: true)
        for folder in [home, runtime] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: runtime.path)
        // --nofork, not --fork: Foundation's Process learns that a child ended when a pipe it shares
        // with it closes, and a forked daemon would hold that pipe open (the child never counts as ended).
        var arguments = ["--nofork", "--print-address=1"]
        if let busConfig {
            let file = root.appendingPathComponent("bus.conf")
            try Data(busConfig.utf8).write(to: file)
            arguments.append("--config-file=\(file.path)")
        } else {
            arguments.append("--session")
        }
        let bus = Process()
        bus.executableURL = try #require(Subprocess.which("dbus-daemon"))
        bus.arguments = arguments
        bus.environment = Self.base(home: home, runtime: runtime)
        bus.currentDirectoryURL = root
        let printed = Pipe()
        bus.standardInput = FileHandle.nullDevice
        bus.standardOutput = printed
        bus.standardError = FileHandle.nullDevice
        try Subprocess.launch(bus)
        self.bus = bus
        // The address is the first line it prints; end of file means it did not start.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = printed.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8)?.split(separator: "\n").first, text.hasPrefix("unix:") else {
            bus.terminate()
            throw Failure(description: "dbus-daemon did not start (it printed '\(String(decoding: line, as: UTF8.self))')")
        }
        address = String(text)
        guard secretService else {
            keyring = nil
            return
        }
        let daemon = Process()
        daemon.executableURL = try #require(Subprocess.which("gnome-keyring-daemon"))
        daemon.arguments = ["--foreground", "--unlock", "--components=secrets"]
        daemon.environment = Self.base(home: home, runtime: runtime).merging(["DBUS_SESSION_BUS_ADDRESS": address]) { $1 }
        daemon.currentDirectoryURL = root
        let input = Pipe()
        daemon.standardInput = input
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try Subprocess.launch(daemon)
        keyring = daemon
        try input.fileHandleForWriting.write(contentsOf: Data("keyring-test-password".utf8))
        try input.fileHandleForWriting.close()
        // Ready once it owns org.freedesktop.secrets; asking earlier would let the bus start another one.
        for _ in 0..<200 {
            let answer = try await dbusSend(["--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
            if String(decoding: answer.stdout, as: UTF8.self).contains("boolean true") { return }
            guard daemon.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw Failure(description: "gnome-keyring-daemon did not take org.freedesktop.secrets on the test bus")
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private static func base(home: URL, runtime: URL) -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.path, "XDG_RUNTIME_DIR": runtime.path, "LC_ALL": "C.UTF-8"]
    }

    private var toolEnvironment: [String: String] {
        Self.base(home: home, runtime: runtime).merging(environment) { $1 }
    }

    private func dbusSend(_ arguments: [String]) async throws -> ProcessOutput {
        try await Subprocess.run(try #require(Subprocess.which("dbus-send")), ["--bus=\(address)"] + arguments,
                                 environment: toolEnvironment, directory: root, timeout: .seconds(20))
    }

    /// The secret stored under service and account, by secret-tool; nil when there is none.
    func lookup(_ service: String, _ account: String) async throws -> String? {
        let output = try await secretToolLookup(service, account)
        return output.status == 0 ? String(decoding: output.stdout, as: UTF8.self) : nil
    }

    private func secretToolLookup(_ service: String, _ account: String) async throws -> ProcessOutput {
        let tool = try #require(Subprocess.which("secret-tool"))
        return try await Subprocess.run(tool, ["lookup", "service", service, "account", account], environment: toolEnvironment, directory: root, timeout: .seconds(20))
    }

    /// Stores `secret` with secret-tool (its own schema, as a user would).
    func store(_ secret: String, service: String, account: String) async throws {
        let tool = try #require(Subprocess.which("secret-tool"))
        let stdin = root.appendingPathComponent("stdin-\(UUID().uuidString)")
        try Data(secret.utf8).write(to: stdin)
        defer { try? FileManager.default.removeItem(at: stdin) }
        let output = try await Subprocess.run(try #require(Subprocess.which("sh")),
                                              ["-c", "exec \"$0\" store --label=test service \"$2\" account \"$3\" < \"$1\"", tool.path, stdin.path, service, account],
                                              environment: toolEnvironment, directory: root, timeout: .seconds(20))
        #expect(output.status == 0, "secret-tool store failed: \(String(decoding: output.stderr, as: UTF8.self))")
    }

    /// Locks the login collection, as a screen lock or `Lock` call would; nothing here can unlock it again.
    func lock() async throws {
        let output = try await dbusSend(["--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                                         "org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login"])
        #expect(output.status == 0 && String(decoding: output.stdout, as: UTF8.self).contains("collection/login"),
                "the login collection was not locked: \(String(decoding: output.stderr, as: UTF8.self))")
    }

    /// Kills both daemons and removes the folder.
    func stop() {
        if let keyring, keyring.isRunning {
            kill(keyring.processIdentifier, SIGTERM)
            keyring.waitUntilExit()
        }
        if bus.isRunning {
            bus.terminate()
            bus.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: root)
    }

    deinit { stop() }

    /// A bus that can start no service: nothing answers for org.freedesktop.secrets on it.
    static let busWithoutServices = """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen><auth>EXTERNAL</auth>
        <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
        """
}

extension Sandbox {
    /// Runs `authflow ARGS` with `input` on stdin (not a terminal), as a pipe would give it.
    func run(_ arguments: [String], stdin input: String, env: [String: String?] = [:]) async throws -> RunResult {
        let file = root.appendingPathComponent("stdin-\(UUID().uuidString)")
        try Data(input.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var environment = self.environment
        for (name, value) in env { environment[name] = value }
        let output = try await Subprocess.run(try #require(Subprocess.which("sh")), ["-c", "exec \"$0\" \"$@\" < \"$AUTHFLOW_TEST_STDIN\"", try AuthFlowBinary.url().path] + arguments,
                                              environment: environment.merging(["AUTHFLOW_TEST_STDIN": file.path]) { $1 }, directory: work, timeout: .seconds(30))
        return RunResult(arguments: arguments, exitCode: output.signaled ? 128 + output.status : output.status,
                         stdout: String(decoding: output.stdout, as: UTF8.self), stderr: String(decoding: output.stderr, as: UTF8.self),
                         duration: output.duration, timedOut: output.timedOut)
    }
}
