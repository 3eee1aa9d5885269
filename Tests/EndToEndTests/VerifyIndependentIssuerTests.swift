import Foundation
import Testing

/// `authflow verify` and `introspect` against an issuer authflow had no hand in:
/// `Servers/rfc9068_server.py`, whose RFC 9068 access tokens are Authlib's (signed by joserfc), found
/// through discovery, with a JWKS that counts its fetches and keys the tests rotate.
@Suite("verify and introspect against an independent RFC 9068 issuer")
struct VerifyIndependentIssuerTests {
    struct Stats: Decodable {
        let jwks_requests: Int
        let introspection_requests: Int
    }

    /// A fresh server per test (key rotation changes its state), and a sandbox with profile `rs`; `withIssuer` stops it.
    final class Issuer {
        let server: any AuthorizationServerProcess
        let sandbox: Sandbox

        init() async throws {
            let python = try pythonExecutable()
            // An Authlib server like the suite's other one; `.authlib` labels it in failure messages.
            server = try await LaunchedServer.start(
                kind: .authlib, executable: python, arguments: [PackageLayout.servers.appendingPathComponent("rfc9068_server.py").path, "--port", "0"],
                fixture: ServerFixture(clientID: "resource-client", clientSecret: "rs-s3cret", publicClientID: "", username: "", password: "", customServers: []),
                makeAdmin: { _ in nil })
            sandbox = try Sandbox(for: server)
            try sandbox.write(ProfileYAML.file(["rs": """
                issuer: \(server.base)
                client: {id: resource-client, secret: env:E2E_CLIENT_SECRET}
                grant: client_credentials
                scopes: [api:read]
                verify: {audience: https://api.example.com}
                """]))
        }

        func stats() async throws -> Stats {
            try JSONDecoder().decode(Stats.self, from: try await LoopbackHTTP.send(.get, server.baseURL.appendingPathComponent("__admin/stats"), expect: 200))
        }

        /// The server signs with a new key from now on; `publish: false` keeps it out of the JWKS.
        func rotate(publish: Bool) async throws {
            let url = try #require(URL(string: "\(server.base)/__admin/rotate?publish=\(publish ? 1 : 0)"))
            _ = try await LoopbackHTTP.send(.post, url, body: Data(), expect: 200)
        }

        /// A fresh token from the server (the cached one may be signed with an older key).
        func freshToken() async throws -> String {
            try await sandbox.run("token", "rs", "--refresh").expectSuccess().trimmingCharacters(in: .newlines)
        }

        /// Moves the cached JWKS's fetch time `seconds` into the past, as if that much time had gone by.
        func ageKeyCache(by seconds: TimeInterval) throws {
            let folder = URL(fileURLWithPath: try #require(sandbox.environment["AUTHFLOW_CACHE_DIR"]))
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("jwks-") }
            try #require(names.count == 1, "one cached key set: \(names)")
            let url = folder.appendingPathComponent(names[0])
            var entry = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            entry["fetchedAt"] = try #require(entry["fetchedAt"] as? Double) - seconds
            try JSONSerialization.data(withJSONObject: entry).write(to: url)
        }
    }

    /// Runs `body` with a fresh issuer and stops the server after, also when `body` throws.
    func withIssuer(_ body: (Issuer) async throws -> Void) async throws {
        let issuer = try await Issuer()
        do {
            try await body(issuer)
        } catch {
            await issuer.server.stop()
            throw error
        }
        await issuer.server.stop()
    }

    @Test func rfc9068TokensVerify() async throws {
        try await withIssuer { issuer in
            let stdout = try await issuer.sandbox.run("verify", "rs", "--scope", "api:read", "--cid").expectSuccess()
            #expect(stdout.hasPrefix("valid: sub=resource-client aud=https://api.example.com exp="), "\(stdout)")
            #expect(try await issuer.stats().jwks_requests == 1)
            try await issuer.sandbox.run("verify", "rs").expectSuccess()
            #expect(try await issuer.stats().jwks_requests == 1, "the key set is cached")
            let missing = try await issuer.sandbox.run("verify", "rs", "--scope", "api:write")
            #expect(missing.exitCode == 1 && missing.stdout.hasPrefix("invalid: scope: missing api:write"), "\(missing)")
        }
    }

    @Test func anUnknownKeyIDRefetchesOnceThenFails() async throws {
        try await withIssuer { issuer in
            try await issuer.sandbox.run("verify", "rs").expectSuccess()
            try await issuer.rotate(publish: false)
            let stranger = try await issuer.freshToken()
            try issuer.ageKeyCache(by: 120)
            let result = try await issuer.sandbox.run("verify", "rs", "--token", stranger)
            #expect(result.exitCode == 1 && result.stdout.hasPrefix("invalid: kid: ") && result.stdout.contains("also after fetching it again"), "\(result)")
            #expect(try await issuer.stats().jwks_requests == 2, "exactly one refetch counted at the server")
            let again = try await issuer.sandbox.run("verify", "rs", "--token", stranger)
            #expect(again.exitCode == 1 && again.stdout.contains("at most once a minute"), "\(again)")
            #expect(try await issuer.stats().jwks_requests == 2, "rate-limited: no second refetch within a minute")
        }
    }

    @Test func keyRotationAtTheServerIsFollowed() async throws {
        try await withIssuer { issuer in
            try await issuer.sandbox.run("verify", "rs").expectSuccess()
            try await issuer.rotate(publish: true)
            let rotated = try await issuer.freshToken()
            #expect(try await issuer.sandbox.run("inspect", "rs").expectSuccess().contains("kid  rsa-2"))
            try issuer.ageKeyCache(by: 120)
            let stdout = try await issuer.sandbox.run("verify", "rs", "--token", rotated).expectSuccess()
            #expect(stdout.hasPrefix("valid: "))
            #expect(try await issuer.stats().jwks_requests == 2, "the new kid made one refetch")
        }
    }

    @Test func introspectionAtAnIndependentServer() async throws {
        try await withIssuer { issuer in
            let active = try await issuer.sandbox.run("introspect", "rs").expectSuccess()
            let json = try #require(try JSONSerialization.jsonObject(with: Data(active.utf8)) as? [String: Any])
            #expect(json["active"] as? Bool == true)
            #expect(json["client_id"] as? String == "resource-client")
            #expect(json["scope"] as? String == "api:read")
            let inactive = try await issuer.sandbox.run("introspect", "rs", "--token", "opaque-garbage")
            #expect(inactive.exitCode == 1 && inactive.stdout.contains("\"active\": false") && inactive.stderr.isEmpty, "\(inactive)")
            #expect(try await issuer.stats().introspection_requests == 2)
        }
    }
}
