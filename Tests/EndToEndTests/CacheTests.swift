import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The token cache end to end (docs/reference/token-cache.md): single flight across processes, refresh, rotation races,
/// crash safety and permissions. Counts requests at the server, so serialized with its own server.
@Suite("Token cache", .serialized, .authorizationServers)
struct CacheTests {
    let kind = ServerKind.authlib

    /// A sandbox with `prod` (password grant with a refresh token at `default`) and the server reset.
    func prepare(scopes: String = "[openid, offline_access]") async throws -> (any ServerAdmin, Sandbox) {
        let server = try await ServerPool.server(kind)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: scopes)]))
        try await admin.reset()
        return (admin, sandbox)
    }

    var cacheFolder: (Sandbox) -> URL { { URL(fileURLWithPath: $0.environment["AUTHFLOW_CACHE_DIR"] ?? "") } }

    func entries(_ sandbox: Sandbox) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: cacheFolder(sandbox), includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("token-") && $0.pathExtension == "json" }
    }

    func mode(_ url: URL) -> mode_t {
        var info = stat()
        stat(url.path, &info)
        return info.st_mode & 0o777
    }

    /// Moves the cached entry's expiry into the past, as if an hour had gone by.
    func expire(_ sandbox: Sandbox) throws {
        let entry = try #require(try entries(sandbox).first)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry)) as? [String: Any])
        object["expiresAt"] = Date().timeIntervalSince1970 - 10
        try JSONSerialization.data(withJSONObject: object).write(to: entry)
    }

    func concurrently(_ count: Int, _ sandbox: Sandbox, _ arguments: String...) async throws -> [RunResult] {
        let binary = try AuthFlowBinary.url(), environment = sandbox.environment, work = sandbox.work
        return try await withThrowingTaskGroup(of: RunResult.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let output = try await Subprocess.run(binary, arguments, environment: environment, directory: work, timeout: .seconds(60))
                    return RunResult(arguments: arguments, exitCode: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
                                     stderr: String(decoding: output.stderr, as: UTF8.self), duration: output.duration, timedOut: output.timedOut)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("32 parallel calls on an empty cache: one token request, one token, one 0600 file")
    func singleFlightOnEmptyCache() async throws {
        let (admin, sandbox) = try await prepare()
        let results = try await concurrently(32, sandbox, "header", "prod")
        let outputs = Set(results.map { $0.expectSuccess() })
        #expect(outputs.count == 1, "every caller prints the same token")
        #expect(try await admin.requests().token_requests == 1)
        let files = try entries(sandbox)
        #expect(files.count == 1)
        #expect(files.allSatisfy { mode($0) == 0o600 })
        #expect(mode(cacheFolder(sandbox)) == 0o700)
    }

    @Test("32 parallel calls on an expired entry: one refresh, and no invalid_grant surfaces")
    func singleFlightOnExpiredCache() async throws {
        let (admin, sandbox) = try await prepare()
        let first = try await sandbox.run("header", "prod").expectSuccess()
        try expire(sandbox)
        try await admin.reset()
        let results = try await concurrently(32, sandbox, "header", "prod")
        let outputs = Set(results.map { $0.expectSuccess() })
        #expect(outputs.count == 1)
        #expect(outputs.first != first, "a new token after expiry")
        let log = try await admin.requests()
        #expect(log.token_requests == 1)
        #expect(log.last?.form["grant_type"] == "refresh_token", "the refresh token is used, not the password")
        #expect(log.last?.form["password"] == nil)
    }

    @Test("the cached path sends no request and resolves no secret")
    func cachedPathIsOffline() async throws {
        let (admin, sandbox) = try await prepare()
        let token = try await sandbox.run("token", "prod").expectSuccess()
        try await admin.reset()
        // Without the password or the client secret, only the cache can answer.
        let again = try await sandbox.run(["token", "prod"], env: ["E2E_PASSWORD": nil, "E2E_CLIENT_SECRET": nil])
        #expect(again.expectSuccess() == token)
        #expect(try await admin.requests().token_requests == 0)
        // --min-ttl beyond the token's life forces a refresh, which needs the client secret.
        try await sandbox.run(["token", "prod", "--min-ttl", "2h"], env: ["E2E_CLIENT_SECRET": nil]).expectFailure(78, "E2E_CLIENT_SECRET")
        // --no-cache runs the grant and leaves the cache alone.
        let fresh = try await sandbox.run("token", "prod", "--no-cache").expectSuccess()
        #expect(fresh != token)
        #expect(try await sandbox.run("token", "prod").expectSuccess() == token)
    }

    @Test("--refresh uses the cached refresh token; a refused one falls back to the grant")
    func refreshAndFallback() async throws {
        let (admin, sandbox) = try await prepare()
        _ = try await sandbox.run("token", "prod").expectSuccess()
        try await admin.reset()
        _ = try await sandbox.run("token", "prod", "--refresh").expectSuccess()
        #expect(try await admin.requests().last?.form["grant_type"] == "refresh_token")
        // Plant a dead refresh token: the server refuses it, authflow runs the password grant.
        let entry = try #require(try entries(sandbox).first)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry)) as? [String: Any])
        object["refreshToken"] = "dead-refresh-token"
        try JSONSerialization.data(withJSONObject: object).write(to: entry)
        try await admin.reset()
        _ = try await sandbox.run("token", "prod", "--refresh").expectSuccess()
        let log = try await admin.requests()
        #expect(log.token_requests == 2)
        #expect(log.last?.form["grant_type"] == "password")
    }

    @Test("two processes refreshing a rotating token at once both succeed")
    func rotationRace() async throws {
        let (admin, sandbox) = try await prepare()
        _ = try await sandbox.run("token", "prod").expectSuccess()
        for _ in 0..<5 {
            try expire(sandbox)
            try await admin.reset()
            let results = try await concurrently(2, sandbox, "token", "prod")
            #expect(results.allSatisfy { $0.exitCode == 0 && $0.stderr.isEmpty }, "\(results)")
            #expect(try await admin.requests().token_requests == 1)
        }
    }

    @Test("kill -9 during writes never leaves a torn entry")
    func killDuringWrite() async throws {
        let (_, sandbox) = try await prepare()
        _ = try await sandbox.run("token", "prod").expectSuccess()
        let binary = try AuthFlowBinary.url()
        for round in 0..<15 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["token", "prod", "--refresh"]
            process.environment = sandbox.environment
            process.currentDirectoryURL = sandbox.work
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try Subprocess.launch(process)
            try await Task.sleep(for: .milliseconds(5 + (round * 7) % 40))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for file in try entries(sandbox) {
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
                #expect(object?["accessToken"] is String, "round \(round): \(file.lastPathComponent) is whole")
            }
        }
        // Leftover temp files are ignored, and the cache still works.
        _ = try await sandbox.run("token", "prod").expectSuccess()
    }

    @Test("umask 000 still gives a 0700 folder and 0600 files; a folder others can write is refused")
    func permissions() async throws {
        let (_, sandbox) = try await prepare()
        let sh = try #require(Subprocess.which("sh"))
        let binary = try AuthFlowBinary.url()
        let output = try await Subprocess.run(sh, ["-c", "umask 000; exec \"$0\" token prod", binary.path],
                                              environment: sandbox.environment, directory: sandbox.work)
        #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        #expect(mode(cacheFolder(sandbox)) == 0o700)
        #expect(try entries(sandbox).allSatisfy { mode($0) == 0o600 })
        chmod(cacheFolder(sandbox).path, 0o777)
        let open = try await sandbox.run("token", "prod")
        open.expectFailure(73, "writable by others")
        #expect(open.stderrLines.last?.contains("chmod 700 \(cacheFolder(sandbox).path)") == true, "\(open)")
        // A shared folder such as /tmp: authflow did not create it, so it must never suggest removing it.
        let shared = sandbox.root.appendingPathComponent("shared", isDirectory: true)
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: shared.appendingPathComponent("someone-elses.txt").path, contents: Data("x".utf8))
        chmod(shared.path, 0o1777)
        let tmp = try await sandbox.run("token", "prod", env: ["AUTHFLOW_CACHE_DIR": shared.path])
        tmp.expectFailure(73, "writable by others")
        #expect(!tmp.stderr.contains("rm "), "\(tmp)")
        #expect(tmp.stderrLines.last?.contains("\(shared.path)/authflow") == true, "\(tmp)")
        #expect(FileManager.default.fileExists(atPath: shared.appendingPathComponent("someone-elses.txt").path))
    }

    @Test("a corrupt entry is a miss and is replaced; profiles and cache clear show and forget it")
    func corruptEntryAndCommands() async throws {
        let (admin, sandbox) = try await prepare()
        _ = try await sandbox.run("token", "prod").expectSuccess()
        let entry = try #require(try entries(sandbox).first)
        try Data("{\"format\": \"authflow-token/1\", trunc".utf8).write(to: entry)
        try await admin.reset()
        _ = try await sandbox.run("token", "prod").expectSuccess()
        #expect(try await admin.requests().token_requests == 1)
        let listing = try await sandbox.run("profiles").expectSuccess()
        #expect(listing.contains("m left"), "\(listing)")
        let cleared = try await sandbox.run("cache", "clear", "prod").expectSuccess()
        #expect(cleared.contains("removed"))
        #expect(try entries(sandbox).isEmpty)
        let names = try FileManager.default.contentsOfDirectory(atPath: cacheFolder(sandbox).path)
        #expect(!names.contains { $0.hasSuffix(".lock") }, "cache clear removes the lock files no call holds: \(names)")
        let row = try await sandbox.run("profiles").expectSuccess().split(separator: "\n").first { $0.hasPrefix("prod ") }
        #expect(row?.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first == "-", "\(row ?? "")")
    }

    func indexRecords(_ sandbox: Sandbox) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: cacheFolder(sandbox), includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("profile-") }
    }

    @Test("the profile index answers an unchanged file without parsing it, and never across a changed variable or file")
    func profileIndex() async throws {
        let server = try await ServerPool.server(kind)
        let admin = try server.requireAdmin()
        let sandbox = try Sandbox(for: server)
        let text = ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "\"openid ${E2E_SCOPE:-profile}\"")])
        try sandbox.write(text)
        try await admin.reset()
        let first = try await sandbox.run("header", "prod").expectSuccess()
        #expect(try indexRecords(sandbox).count == 1, "the first call records the profile")
        #expect(try await sandbox.run("header", "prod").expectSuccess() == first)
        #expect(try indexRecords(sandbox).count == 1)
        #expect(try await admin.requests().token_requests == 1)

        // A variable the profile reads changes its cache key: the index must not answer with the old token.
        let email = try await sandbox.run("header", "prod", env: ["E2E_SCOPE": "email"]).expectSuccess()
        #expect(email != first)
        #expect(try await admin.requests().token_requests == 2)
        #expect(try await sandbox.run("header", "prod", env: ["E2E_SCOPE": "email"]).expectSuccess() == email)
        #expect(try await sandbox.run("header", "prod").expectSuccess() == first)
        #expect(try await admin.requests().token_requests == 2)

        // A record that no longer matches its file is never used: an edit that breaks the file is reported.
        try sandbox.write(text + "    scope: typo\n")
        let broken = try await sandbox.run("header", "prod")
        #expect(broken.exitCode == 65 && broken.stdout.isEmpty && broken.stderr.contains("error: unknown key 'scope'"), "\(broken)")
        // A record planted with another key is a miss, and a record naming a path outside the folder is refused.
        try sandbox.write(text)
        for record in try indexRecords(sandbox) {
            let planted = try String(contentsOf: record, encoding: .utf8).replacingOccurrences(of: #""key":"[0-9a-f]{64}""#, with: #""key":"../../elsewhere""#, options: .regularExpression)
            try Data(planted.utf8).write(to: record)
        }
        #expect(try await sandbox.run("header", "prod").expectSuccess() == first)
        #expect(try await admin.requests().token_requests == 2)

        _ = try await sandbox.run("cache", "clear").expectSuccess()
        #expect(try indexRecords(sandbox).isEmpty, "cache clear forgets the index too")
    }
}
