import AuthFlowCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `command:` secrets are bounded: the time limit stops the command and everything it started,
/// a background child holding the pipe does not hold authflow, nothing of authflow's is
/// inherited, and output, files and variables are capped.
@Suite struct SecretCommandLimitTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func resolver(_ environment: [String: String] = [:], timeout: Duration = .seconds(30)) -> SecretResolver {
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        return SecretResolver(environment: env, baseDirectory: folder, commandTimeout: timeout)
    }

    /// The pid a script wrote to `file`.
    func pid(in file: String) throws -> Int32 {
        try #require(Int32(String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Waits (briefly) for `pid` to be gone.
    func isGone(_ pid: Int32) async throws -> Bool {
        for _ in 0..<250 {
            if kill(pid, 0) != 0 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    // Timing is judged by what the processes show, not by the test's clock: a test process busy
    // with other suites may resume this one late, but cannot bring a killed process back.
    @Test("a command that outlives the limit is stopped at the limit, with every process of its group")
    func timeLimitKillsTheGroup() async throws {
        let pidFile = folder + "/background.pid"
        let error = await #expect(throws: AuthFlowError.self) {
            try await resolver(timeout: .seconds(1)).resolve(.command(["sh", "-c", "sleep 300 & echo $! > '\(pidFile)'; exec sleep 300"]), field: "f")
        }
        #expect(error?.kind == .secret)
        #expect(error?.message == "f: command 'sh' did not finish within 1 s; it and its children were stopped", "\(String(describing: error?.message))")
        let background = try pid(in: pidFile)
        #expect(try await isGone(background), "the background sleep \(background) was killed with its group")
    }

    @Test("a command that prints and leaves a background child holding the pipe returns while the child lives on")
    func backgroundChildDoesNotHoldAuthflow() async throws {
        let pidFile = folder + "/agent.pid"
        let value = try await resolver().resolve(.command(["sh", "-c", "echo s3cret; sleep 300 & echo $! > '\(pidFile)'"]), field: "f")
        #expect(value.reveal() == "s3cret")
        let agent = try pid(in: pidFile)
        #expect(kill(agent, 0) == 0, "returned before the background child ended (it is left alone, as an agent would be)")
        kill(agent, SIGKILL)
    }

    @Test("the command inherits no descriptor of authflow's but 0, 1 and 2")
    func onlyStandardDescriptorsAreInherited() async throws {
        // A descriptor authflow (here: the test) holds open without close-on-exec.
        let held = open(folder + "/held", O_WRONLY | O_CREAT, 0o600)
        #expect(held > 2)
        defer { close(held) }
        let listing = try await resolver().resolve(.command(["ls", "/proc/self/fd"]), field: "f").reveal()
        let descriptors = Set(listing.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        // 0-2, and the one ls opens to read the folder.
        #expect(descriptors.subtracting([0, 1, 2]).count <= 1, "\(descriptors)")
        #expect(!descriptors.contains(held) || held == 3, "\(descriptors) holds \(held)")
    }

    @Test("output past 64 KiB stops the command with a clear error")
    func outputIsCapped() async throws {
        let error = await #expect(throws: AuthFlowError.self) {
            try await resolver().resolve(.command(["sh", "-c", "yes secret | head -c 300000000"]), field: "client.secret")
        }
        #expect(error?.kind == .secret)
        #expect(error?.message == "client.secret: command 'sh' printed more than 64 KiB; it was stopped")
    }

    @Test("secret files and variables past 64 KiB are refused, not read whole")
    func filesAndVariablesAreCapped() async throws {
        let big = String(repeating: "x", count: Secret.maximumBytes + 1)
        try big.write(toFile: folder + "/big", atomically: true, encoding: .utf8)
        let file = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.file("big"), field: "f") }
        #expect(file?.message.contains("larger than 64 KiB") == true)
        let zero = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.file("/dev/zero"), field: "f") }
        #expect(zero?.message.contains("larger than 64 KiB") == true)
        let variable = await #expect(throws: AuthFlowError.self) { try await resolver(["BIG": big]).resolve(.env("BIG"), field: "f") }
        #expect(variable?.message.contains("more than 64 KiB") == true)
        let fits = String(repeating: "y", count: Secret.maximumBytes)
        #expect(try await resolver(["FITS": fits]).resolve(.env("FITS"), field: "f").reveal() == fits)
    }
}
