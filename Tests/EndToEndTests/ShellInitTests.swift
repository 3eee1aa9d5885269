import Foundation
import Testing

/// `eval "$(authflow env x)"` reports the status of `eval ""`; the `authflow_env` function that
/// `shell-init` prints keeps authflow's. Run in the real shells a user has.
@Suite("shell-init", .authorizationServers)
struct ShellInitTests {
    @Test("authflow_env sets the variables on success and returns authflow's status on failure, in bash, zsh, sh and fish")
    func functionKeepsTheStatus() async throws {
        let server = try await ServerPool.server(.authlib)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "[openid]")]))
        let binary = try AuthFlowBinary.url()
        let path = binary.deletingLastPathComponent().path + ":" + (sandbox.environment["PATH"] ?? "/usr/bin:/bin")
        let shells: [(program: String, initialize: String, script: String)] = [
            ("bash", "eval \"$(authflow shell-init bash)\"", #"authflow_env nosuch; echo "failed=$?"; authflow_env prod && echo "ok=${#AUTHFLOW_ACCESS_TOKEN}""#),
            ("zsh", "eval \"$(authflow shell-init zsh)\"", #"authflow_env nosuch; echo "failed=$?"; authflow_env prod && echo "ok=${#AUTHFLOW_ACCESS_TOKEN}""#),
            ("sh", "eval \"$(authflow shell-init sh)\"", #"authflow_env nosuch; echo "failed=$?"; authflow_env prod && echo "ok=${#AUTHFLOW_ACCESS_TOKEN}""#),
            ("fish", "authflow shell-init fish | source", #"authflow_env nosuch; echo "failed=$status"; authflow_env prod; and echo "ok="(string length -- $AUTHFLOW_ACCESS_TOKEN)"#),
        ]
        for shell in shells {
            let program = try #require(Subprocess.which(shell.program), "\(shell.program) is installed on the test machine")
            var environment = sandbox.environment
            environment["PATH"] = path
            let output = try await Subprocess.run(program, ["-c", shell.initialize + "\n" + shell.script],
                                                  environment: environment, directory: sandbox.work)
            let text = String(decoding: output.stdout, as: UTF8.self)
            let stderr = String(decoding: output.stderr, as: UTF8.self)
            #expect(text.contains("failed=66\n"), "\(shell.program) loses authflow's status: \(text) \(stderr)")
            #expect(stderr.contains("authflow: error: ") && stderr.contains("nosuch"), "\(shell.program): \(stderr)")
            let length = text.split(separator: "\n").first { $0.hasPrefix("ok=") }.flatMap { Int($0.dropFirst(3)) }
            #expect((length ?? 0) > 20, "\(shell.program) did not set the token: \(text) \(stderr)")
        }
    }

    @Test("an unknown shell: 64 naming the shells")
    func unknownShell() async throws {
        try await Sandbox().run("shell-init", "tcsh").expectFailure(64, "unknown shell 'tcsh'", "bash, zsh, sh, fish")
    }
}
