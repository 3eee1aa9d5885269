import Foundation
import Testing

/// Options that would do nothing say so, or are not offered where they cannot apply.
@Suite("Options that would do nothing", .serialized, .authorizationServers)
struct OptionEffectTests {
    @Test("--min-ttl longer than the token's lifetime warns with both durations, each time it causes a request")
    func minTTLLongerThanLifetime() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "[openid]")]))
        try await admin.reset()
        for _ in 0..<2 {
            let result = try await sandbox.run("token", "prod", "--min-ttl", "2h")
            #expect(result.exitCode == 0 && !result.stdout.isEmpty, "\(result)")
            let warning = result.stderrLines.first { $0.hasPrefix("authflow: warning: --min-ttl 2h") }
            #expect(warning?.contains("the 1h the server grants") == true || warning?.contains("the 59m") == true, "\(result)")
        }
        #expect(try await admin.requests().token_requests == 2, "each call asked the server again, as the warning says")
        let quiet = try await sandbox.run("token", "prod", "--min-ttl", "10m")
        #expect(quiet.exitCode == 0 && !quiet.stderr.contains("--min-ttl"), "\(quiet)")
    }

    @Test("--id-token with --format json is refused (64) before any request, with what to do")
    func idTokenWithJSON() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run("token", "prod", "--format", "json", "--id-token")
        result.expectFailure(64, "--id-token does not apply to --format json")
        #expect(result.stderrLines.last?.contains("id_token") == true, "\(result)")
    }

    @Test("--browser and --no-browser are not offered where no sign-in happens", arguments: [["validate"], ["profiles"], ["cache", "clear"]])
    func noBrowserFlag(command: [String]) async throws {
        let sandbox = try Sandbox()
        try sandbox.write("version: 1\nprofiles:\n  prod: {domain: example.okta.com, client: {id: a}, grant: client_credentials}\n")
        for flag in ["--browser", "--no-browser"] {
            try await sandbox.run(command + [flag]).expectFailure(64, flag)
        }
        let help = try await sandbox.run(command + ["--help"])
        #expect(help.exitCode == 0 && !help.stdout.contains("browser"), "\(help)")
        #expect(try await sandbox.run(command + ["-c", "authflow.yaml"]).exitCode == 0)
    }

    @Test("trust and untrust take -c FILE like every other command")
    func trustTakesConfig() async throws {
        let sandbox = try Sandbox()
        _ = try sandbox.write("version: 1\nprofiles:\n  prod: {domain: example.okta.com, client: {id: a}, grant: client_credentials}\n", to: "repo.yaml", trusted: false)
        let trusted = try await sandbox.run("trust", "-c", "repo.yaml")
        #expect(trusted.exitCode == 0 && trusted.stdout.hasPrefix("trusted ") && trusted.stdout.contains("repo.yaml"), "\(trusted)")
        let listed = try await sandbox.run("-c", "repo.yaml", "trust", "--list")
        #expect(listed.exitCode == 64, "-c names a file and --list takes none: \(listed)")
        let untrusted = try await sandbox.run("untrust", "--config", "repo.yaml").expectSuccess()
        #expect(untrusted.hasPrefix("no longer trusted: "), "\(untrusted)")
        try await sandbox.run("trust", "other.yaml", "-c", "repo.yaml").expectFailure(64, "name two files")
    }
}
