import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What authflow does to itself and to its surroundings so that secrets stay in it: no core dump,
/// no reading of its memory or environment by other processes (an `exec` child among them), a
/// clear exit when its folders cannot be made, and a loud warning when `serve` leaves loopback.
@Suite("Process hardening", .authorizationServers)
struct ProcessHardeningTests {
    /// Runs `authflow ARGS` as the unprivileged user `nobody` when the tests run as root (root may
    /// read any process's environment, dumpable or not), else as the current user.
    func runUnprivileged(_ arguments: [String], sandbox: Sandbox) async throws -> ProcessOutput {
        let binary = try AuthFlowBinary.url()
        guard geteuid() == 0 else {
            return try await Subprocess.run(binary, arguments, environment: sandbox.environment, directory: sandbox.work)
        }
        let setpriv = try #require(Subprocess.which("setpriv"), "setpriv (util-linux) runs authflow as nobody")
        // nobody must reach the binary and the profile file: both go in the sandbox (0755), whatever
        // the mode of the folder the package was cloned into.
        let copy = sandbox.root.appendingPathComponent("authflow")
        try FileManager.default.copyItem(at: binary, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        return try await Subprocess.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path] + arguments,
                                        environment: sandbox.environment, directory: URL(fileURLWithPath: "/"))
    }

    @Test("an exec child cannot read authflow's environment (the secrets it removed from the child's) and authflow writes no core dump")
    func execChildCannotReadParent() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        let file = try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default")]), trusted: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sandbox.root.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sandbox.work.path)
        let script = """
            if cat /proc/$PPID/environ > /dev/null 2>&1; then echo environ-readable; else echo environ-denied; fi
            grep 'Max core file size' /proc/$PPID/limits
            """
        let output = try await runUnprivileged(["-c", file.path, "exec", "--no-cache", "prod", "--", "sh", "-c", script], sandbox: sandbox)
        let stdout = String(decoding: output.stdout, as: UTF8.self), stderr = String(decoding: output.stderr, as: UTF8.self)
        #expect(output.status == 0, "\(stdout)\n\(stderr)")
        #expect(stdout.contains("environ-denied"), "the child read /proc/$PPID/environ: \(stdout)")
        let core = stdout.split(separator: "\n").first { $0.hasPrefix("Max core file size") }.map { $0.split(whereSeparator: \.isWhitespace) }
        #expect(core.map { $0.count > 4 && $0[4] == "0" } == true, "the soft core limit is 0: \(stdout)")
        #expect(!stdout.contains(server.fixture.clientSecret))
    }

    @Test("a cache folder that cannot be made (HOME is a file) is exit 73 with the reason and a hint, not an internal error")
    func unwritableHome() async throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write(ProfileYAML.file(["p": "token_url: http://127.0.0.1:9/t\nclient: {id: c}\ngrant: client_credentials\nretries: 0\n"]), trusted: false)
        let notAFolder = sandbox.root.appendingPathComponent("home-is-a-file")
        try Data("x".utf8).write(to: notAFolder)
        let result = try await sandbox.run(["-c", file.path, "token", "p"], env: ["HOME": notAFolder.path, "AUTHFLOW_CACHE_DIR": nil])
        result.expectFailure(73, "the cache folder \(notAFolder.path)/.cache/authflow cannot be created: not a directory")
        #expect(result.stderr.contains("hint: set AUTHFLOW_CACHE_DIR to a folder you own, or pass --no-cache"), "\(result)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result)")
    }

    @Test("serve on an address other than loopback warns that anyone who reaches it gets tokens")
    func serveWarnsOffLoopback() async throws {
        let config = PackageLayout.servers.appendingPathComponent("serve-e2e.yaml").path
        for (host, warns) in [("0.0.0.0", true), ("127.0.0.1", false)] {
            let sandbox = try Sandbox()
            let log = sandbox.root.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = try AuthFlowBinary.url()
            process.arguments = ["serve", "--config", config, "--host", host, "--port", "0"]
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try Subprocess.launch(process)
            var text = ""
            for _ in 0..<400 where !text.contains("listening on") && process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
                text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            }
            process.terminate()
            process.waitUntilExit()
            #expect(text.contains("listening on"), "\(text)")
            #expect(text.contains("warning: serving on \(host), not a loopback address") == warns, "\(host): \(text)")
        }
    }
}
