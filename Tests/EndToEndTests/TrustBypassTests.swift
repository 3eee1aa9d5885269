import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Trust holds against the ways around it an adversarial review found: a second encoding of the
/// same bytes, a link from another repository, variables expanded before trust, and a file
/// planted in a shared folder above the user's.
@Suite("Trust holds against encodings, links, variables and planted files")
struct TrustBypassTests {
    /// A UTF-16LE file (with its byte order mark) whose comment holds a `client.secret` command
    /// after `separator`: U+00A0 keeps it a comment, U+0085 (a YAML line break) makes it a key.
    func utf16File(separator: UInt16, marker: URL) -> [UInt8] {
        let before = "version: 1\nprofiles:\n  ci:\n    token_url: http://127.0.0.1:9/token\n    retries: 0\n    grant: client_credentials\n    client:\n      id: ci\n      # note"
        let after = "      secret: {command: [touch, \(marker.path)]}\n"
        let units = Array(before.utf16) + [separator] + Array(after.utf16)
        return [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    @Test("a UTF-16 file cannot be trusted, so flipping one byte cannot turn a trusted comment into a command")
    func utf16CannotBeTrusted() async throws {
        let sandbox = try Sandbox()
        let marker = sandbox.root.appendingPathComponent("command-ran")
        let file = sandbox.work.appendingPathComponent("authflow.yaml")
        try Data(utf16File(separator: 0x00A0, marker: marker)).write(to: file)
        let trust = try await sandbox.run("trust")
        #expect(trust.exitCode == 65 && trust.stdout.isEmpty, "\(trust)")
        #expect(trust.stderr.contains("the file is UTF-16; authflow reads profile files in UTF-8 only"), "\(trust)")
        #expect(try await sandbox.run("validate").exitCode == 65)

        try Data(utf16File(separator: 0x0085, marker: marker)).write(to: file)
        let token = try await sandbox.run("token", "ci")
        #expect(token.exitCode == 65 && token.stdout.isEmpty, "\(token)")
        #expect(try await sandbox.run("trust", "--list").stdout.isEmpty, "nothing was recorded")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the command in the file ran")
    }

    @Test("a link from another repository to a trusted file runs the trusted file's command, from its folder, never the linking repository's")
    func linkedFileUsesItsOwnFolder() async throws {
        let sandbox = try Sandbox()
        let trustedMarker = sandbox.root.appendingPathComponent("trusted-script-ran")
        let hostileMarker = sandbox.root.appendingPathComponent("hostile-script-ran")
        let text = ProfileYAML.file(["ci": """
            token_url: http://127.0.0.1:9/token
            retries: 0
            client:
              id: ci
              secret: {command: [./get-secret.sh]}
            grant: client_credentials
            """])
        try sandbox.write(text, to: "repoA/authflow.yaml", trusted: true)
        for (folder, marker) in [("repoA", trustedMarker), ("repoB", hostileMarker)] {
            let script = sandbox.work.appendingPathComponent("\(folder)/get-secret.sh")
            try FileManager.default.createDirectory(at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("#!/bin/sh\ntouch '\(marker.path)'\necho secret\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        }
        try FileManager.default.createSymbolicLink(atPath: sandbox.work.appendingPathComponent("repoB/authflow.yaml").path,
                                                   withDestinationPath: "../repoA/authflow.yaml")
        let result = try await sandbox.run(["token", "ci"], in: sandbox.work.appendingPathComponent("repoB"))
        #expect(result.exitCode == 69 && result.stdout.isEmpty, "the secret is resolved, then the closed port refuses; \(result)")
        #expect(FileManager.default.fileExists(atPath: trustedMarker.path), "the trusted file's own script runs")
        #expect(!FileManager.default.fileExists(atPath: hostileMarker.path), "the linking repository's script ran")
    }

    @Test("an untrusted file expands no variable: the refusal and profiles show ${NAME}, never its value")
    func untrustedFileExpandsNothing() async throws {
        let sandbox = try Sandbox()
        let value = "SENTINEL-variable-value-6d1f"
        sandbox.environment["MY_SECRET_VAR"] = value
        try sandbox.write(ProfileYAML.file([
            "leak": "token_url: https://x.example.com/token?k=${MY_SECRET_VAR}\nclient: {id: c}\ngrant: client_credentials\n",
            "plain": "token_url: https://x.example.com/token\nclient: {id: c}\ngrant: client_credentials\n",
        ]), trusted: false)
        let refused = try await sandbox.run("token", "leak")
        #expect(refused.exitCode == 65 && refused.stderr.contains("token_url: https://x.example.com/token?k=${MY_SECRET_VAR} (profile 'leak')"), "\(refused)")
        let listing = try await sandbox.run("profiles")
        #expect(listing.exitCode == 0 && listing.stdout.contains("token_url: https://x.example.com/token?k=${MY_SECRET_VAR}"), "\(listing)")
        #expect(listing.stdout.contains("https://x.example.com/token"), "a profile without variables still shows its endpoint; \(listing)")
        let json = try await sandbox.run("profiles", "--json")
        #expect(json.exitCode == 0 && json.stdout.contains("MY_SECRET_VAR"), "\(json)")
        for result in [refused, listing, json] {
            #expect(!result.stdout.contains(value) && !result.stderr.contains(value), "the variable's value was shown; \(result)")
        }
    }

    @Test("an authflow.yaml of another user's in a folder above is passed over, with a note, for the user's own config",
          .enabled(if: geteuid() == 0, "needs root to give a file to another user"))
    func plantedFileIsSkipped() async throws {
        let sandbox = try Sandbox()
        let shared = sandbox.work.appendingPathComponent("shared", isDirectory: true)
        let inside = shared.appendingPathComponent("project", isDirectory: true)
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let planted = shared.appendingPathComponent("authflow.yaml")
        try Data(ProfileYAML.file(["planted": "token_url: http://127.0.0.1:9/t\nclient: {id: c}\ngrant: client_credentials\n"]).utf8).write(to: planted)
        #expect(chown(planted.path, 65534, 65534) == 0)
        let own = sandbox.home.appendingPathComponent(".config/authflow/config.yaml")
        try FileManager.default.createDirectory(at: own.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ProfileYAML.file(["mine": "token_url: http://127.0.0.1:9/t\nclient: {id: c}\ngrant: client_credentials\n"]).utf8).write(to: own)
        let listing = try await sandbox.run(["profiles"], in: inside)
        #expect(listing.exitCode == 0 && listing.stdout.contains("mine") && !listing.stdout.contains("planted"), "\(listing)")
        #expect(listing.stderr.contains("note: skipped \(planted.path): it belongs to another user (uid 65534)"), "\(listing)")
    }
}
