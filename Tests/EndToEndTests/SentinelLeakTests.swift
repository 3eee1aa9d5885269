import Foundation
import Testing

/// docs/reference/security.md, "No secret is ever printed": every command and its failure paths run with
/// `--verbose`, with a distinctive sentinel for every secret kind (client secret, password, private key, TLS client
/// key, refresh token, subject token) against a real loopback server. The sentinels — and, on the
/// success paths, the server's real secret and password — must appear nowhere in:
///
/// - stdout and stderr;
/// - any file (content or name) under the cache folder (`AUTHFLOW_CACHE_DIR`) or the sandbox HOME;
/// - the argv of an `exec` child or of a `command:` secret helper (each writes its own
///   `/proc/$$/cmdline`);
/// - the environment of an `exec` child (its own `/proc/$$/environ`), except the token variables
///   authflow puts there on purpose: the variables the profile reads secrets from are removed; and
///   the environment of a `command:` helper, except the variables the test placed in authflow's
///   environment for `env:` references (a helper runs with authflow's environment by design).
@Suite("Sentinel secrets never leak", .serialized, .authorizationServers, .tlsWorld)
struct SentinelLeakTests {
    // MARK: - Sentinels

    /// Values no server would echo by accident.
    enum Sentinel {
        static let clientSecret = "SENTINEL-client-secret-7f3a"
        static let password = "SENTINEL-password-9c1e"
        static let refreshToken = "SENTINEL-refresh-token-2b8d"
        static let subjectToken = "SENTINEL-subject-token-5e4c"
        static let accessToken = "SENTINEL-access-token-41d0"
        static let passcode = "SENTINEL-passcode-83f6"
    }

    /// Where a secret comes from in the profile.
    enum Source: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `env:LEAK_NAME`
        case env
        /// `file:/abs/path` (mode 0600)
        case file
        /// `{command: [sh, helper.sh, RECORDS, NAME, VALUEFILE]}`: the helper records its own argv and
        /// environment, then prints the value.
        case command
        var testDescription: String { rawValue }
    }

    /// One string that must not appear, with what it is.
    struct Needle: Hashable {
        let label: String
        let value: String
    }

    /// Every spelling of a secret: raw, form-encoded, percent-encoded, JSON with escaped '/'.
    static func needles(_ label: String, _ secret: String) -> [Needle] {
        var seen: Set<String> = []
        return [secret, LoopbackHTTP.formEncode(secret),
                secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
                secret.replacingOccurrences(of: "/", with: "\\/")]
            .filter { seen.insert($0).inserted }
            .map { Needle(label: label, value: $0) }
    }

    /// The client secret in each spelling, and inside the Basic credentials it would be sent in.
    static func clientSecretNeedles(_ label: String, clientID: String, _ secret: String) -> [Needle] {
        needles(label, secret) + [Needle(label: "\(label) (Basic credentials)", value: String(basicCredentials(clientID, secret).dropFirst("Basic ".count)))]
    }

    /// The test private key and the distinctive lines of its content (every base64 body line).
    static let privateKeyName = "rsa.pem"
    static var privateKeyPEM: String {
        (try? String(contentsOf: TestKeys.folder.appendingPathComponent(privateKeyName), encoding: .utf8)) ?? ""
    }
    static var privateKeyNeedles: [Needle] {
        privateKeyPEM.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("-----") && $0.count >= 32 }
            .map { Needle(label: "a line of the private key file", value: $0) }
    }

    /// The real secrets of the fixture (serve-e2e.yaml / okta_authlib_server.py), with markers.
    static func realNeedles(_ fixture: ServerFixture) -> [Needle] {
        clientSecretNeedles("the real client secret", clientID: fixture.clientID, fixture.clientSecret)
            + needles("the real password", fixture.password)
            + [Needle(label: "the real client secret (marker)", value: "s3cr3t"), Needle(label: "the real password (marker)", value: "Passw0rd")]
    }

    // MARK: - Probe: a sandbox with recording helpers

    /// A sandbox without the server's secrets in its environment, a `command:` helper and an `exec`
    /// child that record their own argv and environment, and the leak scan.
    final class Probe {
        let sandbox: Sandbox
        let records: URL
        let values: URL
        let helper: URL
        /// Variables the test put in authflow's environment for `env:` references.
        var inherited: Set<String> = []

        init() throws {
            sandbox = try Sandbox()  // not Sandbox(for:): E2E_CLIENT_SECRET/E2E_PASSWORD stay out
            records = sandbox.root.appendingPathComponent("records", isDirectory: true)
            values = sandbox.root.appendingPathComponent("values", isDirectory: true)
            helper = sandbox.root.appendingPathComponent("helper.sh")
            try FileManager.default.createDirectory(at: records, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: values, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: values.path)
            let script = """
                #!/bin/sh
                cat /proc/$$/cmdline > "$1/helper-$2-$$.cmdline"
                cat /proc/$$/environ > "$1/helper-$2-$$.environ"
                cat "$3"

                """
            try Data(script.utf8).write(to: helper)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: helper.path)
        }

        var cacheFolder: URL { URL(fileURLWithPath: sandbox.environment["AUTHFLOW_CACHE_DIR"] ?? sandbox.root.appendingPathComponent("cache").path) }

        /// The `sh -c` script of the `exec` child: records its argv and environment.
        var childScript: String {
            "cat /proc/$$/cmdline > \"\(records.path)/exec-$$.cmdline\"; cat /proc/$$/environ > \"\(records.path)/exec-$$.environ\"; echo child-ran"
        }

        /// A secret reference for `value` from `source`; `name` is a plain word.
        func reference(_ name: String, _ value: String, via source: Source) throws -> String {
            let file = values.appendingPathComponent(name)
            if source != .env {
                try Data(value.utf8).write(to: file)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            }
            switch source {
            case .env:
                let variable = "LEAK_\(name.uppercased())"
                sandbox.environment[variable] = value
                inherited.insert(variable)
                return "env:\(variable)"
            case .file:
                return "file:\(file.path)"
            case .command:
                return "{command: [sh, \"\(helper.path)\", \"\(records.path)\", \(name), \"\(file.path)\"]}"
            }
        }

        /// The commands that get a token, each with `--verbose`. Options go before the profile: `exec`
        /// passes everything after the profile to the child (`exec prod --verbose -- cmd` would run `--verbose`).
        func tokenCommands(_ profile: String) -> [[String]] {
            [["env", "--verbose", profile], ["header", "--verbose", profile], ["token", "--verbose", profile, "--format", "json"],
             ["exec", "--verbose", profile, "--", "sh", "-c", childScript], ["kubectl", "--verbose", profile],
             ["introspect", "--verbose", profile]]
        }

        func recordFiles(_ prefix: String) -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(at: records, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.lastPathComponent.hasPrefix(prefix) }
        }

        func clearRecords() {
            for file in recordFiles("") { try? FileManager.default.removeItem(at: file) }
        }

        static func files(under folder: URL) -> [URL] {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
            return walker.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        }

        static func excerpt(_ text: String, _ needle: String) -> String {
            guard let range = text.range(of: needle) else { return "" }
            let start = text.index(range.lowerBound, offsetBy: -100, limitedBy: text.startIndex) ?? text.startIndex
            let end = text.index(range.upperBound, offsetBy: 100, limitedBy: text.endIndex) ?? text.endIndex
            return "…" + String(text[start..<end]) + "…"
        }

        /// Is `name` one of the token variables authflow gives an `exec` child on purpose?
        static func isTokenVariable(_ name: String) -> Bool {
            name.hasPrefix("AUTHFLOW_") && name.contains("TOKEN")
        }

        /// Scans every place a secret could leak to after `result` (an issue per leak unless `record`
        /// is false); then forgets the records. Returns the places where a needle was found.
        @discardableResult
        func expectNoLeak(_ needles: [Needle], after result: RunResult, record: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
            defer { clearRecords() }
            let command = "authflow " + result.arguments.joined(separator: " ")
            var places: [String] = []
            func check(_ text: String, _ place: String) {
                for needle in needles where text.contains(needle.value) {
                    places.append(place)
                    guard record else { continue }
                    Issue.record("LEAK: \(needle.label) ('\(needle.value)') in \(place) after `\(command)` (exit \(result.exitCode)): \(Self.excerpt(text, needle.value))",
                                 sourceLocation: sourceLocation)
                }
            }
            check(result.stdout, "stdout")
            check(result.stderr, "stderr")
            for folder in [cacheFolder, sandbox.home] {
                for file in Self.files(under: folder) {
                    check(file.path, "a file name under \(folder.lastPathComponent)")
                    check(String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self), "the file \(file.path)")
                }
            }
            for file in recordFiles("") {
                let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
                let who = file.lastPathComponent.hasPrefix("exec-") ? "the exec child" : "the command: helper \(file.lastPathComponent)"
                if file.pathExtension == "cmdline" {
                    check(text.replacingOccurrences(of: "\0", with: " "), "the argv of \(who)")
                } else {
                    // An exec child must not inherit the variables secrets were read from; a command:
                    // helper runs with authflow's own environment, so those are excused there only.
                    let excused = file.lastPathComponent.hasPrefix("exec-") ? [] : inherited
                    let kept = text.split(separator: "\0").map(String.init).filter { entry in
                        let name = String(entry.prefix { $0 != "=" })
                        return !Self.isTokenVariable(name) && !excused.contains(name)
                    }
                    check(kept.joined(separator: "\n"), "the environment of \(who)")
                }
            }
            return places
        }
    }

    // MARK: - Profiles

    static func client(_ server: any AuthorizationServerProcess, secret: String) -> String {
        "client:\n  id: \(server.fixture.clientID)\n  secret: \(secret)\n"
    }

    static func passwordProfile(_ server: any AuthorizationServerProcess, secret: String, password: String, extra: String = "retries: 0\n") -> String {
        server.okta("default") + client(server, secret: secret)
            + "grant:\n  type: password\n  username: \(server.fixture.username)\n  password: \(password)\n"
            + "scopes: [openid, offline_access]\n" + extra
    }

    static func refreshProfile(_ server: any AuthorizationServerProcess, secret: String, refreshToken: String) -> String {
        server.okta("default") + client(server, secret: secret) + "grant:\n  type: refresh_token\n  refresh_token: \(refreshToken)\nretries: 0\n"
    }

    static func exchangeProfile(_ server: any AuthorizationServerProcess, secret: String, subjectToken: String) -> String {
        server.okta("default") + client(server, secret: secret) + "grant:\n  type: token_exchange\n  subject_token: \(subjectToken)\nscopes: [api:read]\nretries: 0\n"
    }

    static func privateKeyProfile(_ okta: String, key: String) -> String {
        okta + "client:\n  id: pkjwt-service\n  private_key: \(key)\ngrant: client_credentials\nscopes: [api:read]\nretries: 0\n"
    }

    /// Every sentinel, for runs where all of them are in play.
    static var allSentinelNeedles: [Needle] {
        needles("the sentinel client secret", Sentinel.clientSecret) + needles("the sentinel password", Sentinel.password)
            + needles("the sentinel refresh token", Sentinel.refreshToken) + needles("the sentinel subject token", Sentinel.subjectToken)
            + needles("the sentinel access token", Sentinel.accessToken) + privateKeyNeedles
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
    }

    // MARK: - Runner for a refused profile

    /// Runs every token command on `profile` with `--verbose`; each must fail with `exitCode` (any
    /// non-zero when nil), an empty stdout, a trace when `trace`, no exec child, and no leak.
    func expectRefusedEverywhere(_ probe: Probe, _ profile: String, exitCode: Int32?, trace: Bool, needles: [Needle],
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for arguments in probe.tokenCommands(profile) {
            probe.clearRecords()
            let result = try await probe.sandbox.run(arguments)
            if let exitCode {
                #expect(result.exitCode == exitCode, "\(result)", sourceLocation: sourceLocation)
            } else {
                #expect(result.exitCode != 0, "\(result)", sourceLocation: sourceLocation)
            }
            #expect(result.stdout.isEmpty, "stdout must stay empty on failure; \(result)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains("authflow: error: "), "\(result)", sourceLocation: sourceLocation)
            if trace {
                #expect(result.stderr.contains("POST"), "--verbose printed no trace, the check proves nothing; \(result)", sourceLocation: sourceLocation)
            }
            #expect(probe.recordFiles("exec-").isEmpty, "the exec child ran without a token; \(result)", sourceLocation: sourceLocation)
            probe.expectNoLeak(needles, after: result, sourceLocation: sourceLocation)
        }
    }

    // MARK: - Failure paths against a live server

    @Test("wrong (sentinel) client secret, real password: 77 on every command, the sentinel nowhere",
          arguments: ServerKind.all, Source.allCases)
    func wrongClientSecret(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", Sentinel.clientSecret, via: source)
        let password = try probe.reference("password", server.fixture.password, via: source)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        let needles = Self.clientSecretNeedles("the sentinel client secret", clientID: server.fixture.clientID, Sentinel.clientSecret)
            + Self.needles("the real password", server.fixture.password) + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await expectRefusedEverywhere(probe, "prod", exitCode: 77, trace: true, needles: needles)
    }

    @Test("wrong (sentinel) password, real client secret: 77 on every command, the sentinel nowhere",
          arguments: ServerKind.all, Source.allCases)
    func wrongPassword(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let password = try probe.reference("password", Sentinel.password, via: source)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        let needles = Self.needles("the sentinel password", Sentinel.password)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await expectRefusedEverywhere(probe, "prod", exitCode: 77, trace: true, needles: needles)
    }

    @Test("a refused (sentinel) refresh token: 77 on every command, the sentinel nowhere",
          arguments: ServerKind.all, Source.allCases)
    func refusedRefreshToken(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let refresh = try probe.reference("refresh_token", Sentinel.refreshToken, via: source)
        try probe.sandbox.write(ProfileYAML.file(["rt": Self.refreshProfile(server, secret: secret, refreshToken: refresh)]))
        let needles = Self.needles("the sentinel refresh token", Sentinel.refreshToken)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await expectRefusedEverywhere(probe, "rt", exitCode: 77, trace: true, needles: needles)
    }

    @Test("a refused (sentinel) subject token in token_exchange: refused on every command, the sentinel nowhere",
          arguments: ServerKind.all, Source.allCases)
    func refusedSubjectToken(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let subject = try probe.reference("subject_token", Sentinel.subjectToken, via: source)
        try probe.sandbox.write(ProfileYAML.file(["tx": Self.exchangeProfile(server, secret: secret, subjectToken: subject)]))
        let needles = Self.needles("the sentinel subject token", Sentinel.subjectToken)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        // authflow serve refuses the token (invalid_grant, 77); the Authlib server has no token exchange.
        try await expectRefusedEverywhere(probe, "tx", exitCode: kind == .authflowServe ? 77 : nil, trace: true, needles: needles)
    }

    @Test("private_key_jwt refused by a server that does not know the client: 77, no line of the key file anywhere",
          arguments: Source.allCases)
    func privateKeyRefused(source: Source) async throws {
        let server = try await ServerPool.server(.authlib)
        let probe = try Probe()
        let key = try probe.reference("private_key", Self.privateKeyPEM, via: source)
        try probe.sandbox.write(ProfileYAML.file(["pk": Self.privateKeyProfile(server.okta("default"), key: key)]))
        #expect(Self.privateKeyNeedles.count >= 20, "the key file has distinctive lines to look for")
        try await expectRefusedEverywhere(probe, "pk", exitCode: 77, trace: true, needles: Self.privateKeyNeedles)
    }

    @Test("a refused revocation (sentinel client secret): 77, the sentinel nowhere, the cache holds no secret")
    func refusedRevocation() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: .env)
        let password = try probe.reference("password", server.fixture.password, via: .file)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        let first = try await probe.sandbox.run("token", "prod", "--verbose")
        #expect(first.exitCode == 0, "\(first)")
        probe.expectNoLeak(Self.realNeedles(server.fixture), after: first)
        let result = try await probe.sandbox.run(["revoke", "prod", "--verbose"], env: ["LEAK_CLIENT_SECRET": Sentinel.clientSecret])
        #expect(result.exitCode == 77 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("POST"), "--verbose printed no trace; \(result)")
        probe.expectNoLeak(Self.clientSecretNeedles("the sentinel client secret", clientID: server.fixture.clientID, Sentinel.clientSecret)
            + Self.realNeedles(server.fixture) + [Needle(label: "a sentinel marker", value: "SENTINEL-")], after: result)
    }

    @Test("introspect with a sentinel token the server does not know: exit 1, the token nowhere",
          arguments: [("access_token", Sentinel.accessToken), ("refresh_token", Sentinel.refreshToken)])
    func introspectSentinelToken(hint: String, token: String) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: .command)
        let password = try probe.reference("password", server.fixture.password, via: .file)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        let result = try await probe.sandbox.run("introspect", "prod", "--verbose", "--token-type-hint", hint, "--token", token)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdout.contains("\"active\""), "\(result)")
        #expect(result.stderr.contains("POST"), "--verbose printed no trace; \(result)")
        probe.expectNoLeak(Self.needles("the sentinel \(hint)", token) + Self.realNeedles(server.fixture)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")], after: result)
    }

    // MARK: - Failure paths: server down, server error

    /// Four profiles at `okta` with every sentinel: password grant, refresh token, token exchange, private key.
    static func sentinelProfiles(_ probe: Probe, okta: String, clientID: String, source: Source) throws -> String {
        let secret = try probe.reference("client_secret", Sentinel.clientSecret, via: source)
        let password = try probe.reference("password", Sentinel.password, via: source)
        let refresh = try probe.reference("refresh_token", Sentinel.refreshToken, via: source)
        let subject = try probe.reference("subject_token", Sentinel.subjectToken, via: source)
        let key = try probe.reference("private_key", privateKeyPEM, via: source)
        let client = "client:\n  id: \(clientID)\n  secret: \(secret)\n"
        return ProfileYAML.file([
            "pw": okta + client + "grant:\n  type: password\n  username: testuser1@example.com\n  password: \(password)\nretries: 0\n",
            "rt": okta + client + "grant:\n  type: refresh_token\n  refresh_token: \(refresh)\nretries: 0\n",
            "tx": okta + client + "grant:\n  type: token_exchange\n  subject_token: \(subject)\nscopes: [api:read]\nretries: 0\n",
            "pk": privateKeyProfile(okta, key: key),
        ])
    }

    @Test("server down (closed port): 69 on every command and grant, no sentinel anywhere", arguments: Source.allCases)
    func serverDown(source: Source) async throws {
        let port = try closedLoopbackPort()
        let probe = try Probe()
        try probe.sandbox.write(try Self.sentinelProfiles(probe, okta: "domain: http://127.0.0.1:\(port)\nauth_server: default\n",
                                                          clientID: ServerFixture.authlib.clientID, source: source))
        let needles = Self.allSentinelNeedles
            + [Needle(label: "the sentinel client secret (Basic credentials)",
                      value: String(basicCredentials(ServerFixture.authlib.clientID, Sentinel.clientSecret).dropFirst("Basic ".count)))]
        for profile in ["pw", "rt", "tx", "pk"] {
            try await expectRefusedEverywhere(probe, profile, exitCode: 69, trace: false, needles: needles)
        }
    }

    @Test("server error (500 on every request): 69 on every command and grant, no sentinel anywhere", arguments: Source.allCases)
    func serverError(source: Source) async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let probe = try Probe()
        try probe.sandbox.write(try Self.sentinelProfiles(probe, okta: server.okta("default"), clientID: server.fixture.clientID, source: source))
        let needles = Self.allSentinelNeedles
            + Self.clientSecretNeedles("the sentinel client secret", clientID: server.fixture.clientID, Sentinel.clientSecret)
        try await admin.reset()
        try await admin.inject(.every("status500"))
        var failure: (any Error)?
        do {
            for profile in ["pw", "rt", "tx", "pk"] {
                try await expectRefusedEverywhere(probe, profile, exitCode: 69, trace: true, needles: needles)
            }
        } catch {
            failure = error
        }
        try await admin.reset()
        if let failure { throw failure }
    }

    // MARK: - Success paths with the server's real secrets

    /// Runs `arguments` expecting exit 0, then the leak scan; returns the result.
    @discardableResult
    func succeed(_ probe: Probe, _ arguments: [String], needles: [Needle], trace: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        probe.clearRecords()
        let result = try await probe.sandbox.run(arguments)
        #expect(result.exitCode == 0 && !result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        if trace {
            #expect(result.stderr.contains("POST"), "--verbose printed no trace, the check proves nothing; \(result)", sourceLocation: sourceLocation)
        }
        if arguments.first == "exec" {
            #expect(probe.recordFiles("exec-").count == 2, "the exec child did not record its argv and environment; \(result)", sourceLocation: sourceLocation)
        }
        probe.expectNoLeak(needles, after: result, sourceLocation: sourceLocation)
        return result
    }

    /// Every success path of `profile`: a fresh grant, each command with `--no-cache`, a cached run,
    /// `--refresh`, and (at `authflow serve`) introspect and revoke.
    func everySuccessPath(_ probe: Probe, _ profile: String, kind: ServerKind, needles: [Needle], helperRuns: Bool) async throws {
        try await succeed(probe, ["token", profile, "--verbose", "--format", "json"], needles: needles)
        #expect(!Probe.files(under: probe.cacheFolder).isEmpty, "nothing was cached, so the cache scan proves nothing")
        for arguments in probe.tokenCommands(profile) where arguments.first != "introspect" {
            var noCache = arguments
            noCache.insert("--no-cache", at: 1)  // before the profile (see tokenCommands)
            try await succeed(probe, noCache, needles: needles)
        }
        if helperRuns {
            probe.clearRecords()
            let result = try await probe.sandbox.run("token", profile, "--verbose", "--no-cache")
            #expect(!probe.recordFiles("helper-").isEmpty, "the command: helper never ran; \(result)")
            probe.expectNoLeak(needles, after: result)
        }
        try await succeed(probe, ["env", profile, "--verbose"], needles: needles, trace: false)  // cached
        try await succeed(probe, ["exec", "--verbose", profile, "--", "sh", "-c", probe.childScript], needles: needles, trace: false)  // cached
        try await succeed(probe, ["header", profile, "--verbose", "--refresh"], needles: needles)
        if kind == .authflowServe {
            try await succeed(probe, ["introspect", profile, "--verbose"], needles: needles)
            try await succeed(probe, ["revoke", profile, "--verbose"], needles: needles)
        }
    }

    @Test("success with the real client secret and password, every command with --verbose: neither appears anywhere",
          arguments: ServerKind.all, Source.allCases)
    func successRealSecrets(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let password = try probe.reference("password", server.fixture.password, via: source)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        try await everySuccessPath(probe, "prod", kind: kind, needles: Self.realNeedles(server.fixture), helperRuns: source == .command)
    }

    @Test("MFA: a refused (sentinel) passcode is 77 on every command; the passcode and the password appear nowhere",
          arguments: GrantMFAFlowTests.servers, Source.allCases)
    func mfaRefusedPasscode(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let password = try probe.reference("password", GrantMFAFlowTests.password, via: source)
        let otp = try probe.reference("otp", Sentinel.passcode, via: source)
        let profile = server.okta("default") + Self.client(server, secret: secret)
            + "grant:\n  type: password\n  username: \(GrantMFAFlowTests.user)\n  password: \(password)\n  mfa: {factor: otp, otp: \(otp)}\nretries: 0\n"
        try probe.sandbox.write(ProfileYAML.file(["mfa": profile]))
        let needles = Self.needles("the sentinel passcode", Sentinel.passcode) + Self.needles("the MFA user's password", GrantMFAFlowTests.password)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await expectRefusedEverywhere(probe, "mfa", exitCode: 77, trace: true, needles: needles)
    }

    @Test("MFA: a push approved on the phone, with --verbose: the mfa_token and oob_code are redacted in the trace, cached nowhere",
          arguments: GrantMFAFlowTests.servers)
    func mfaPushTraceRedacts(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let profile = server.okta("default") + Self.client(server, secret: try probe.reference("client_secret", server.fixture.clientSecret, via: .env))
            + "grant:\n  type: password\n  username: \(GrantMFAFlowTests.autoUser)\n  password: \(try probe.reference("password", GrantMFAFlowTests.password, via: .env))\n  mfa: {factor: push}\n"
        try probe.sandbox.write(ProfileYAML.file(["mfa": profile]))
        let result = try await probe.sandbox.run("token", "--verbose", "mfa", "--format", "json")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("/challenge") && result.stderr.contains("mfa_token"), "the trace shows the MFA requests; \(result)")
        // Every mention of the mfa_token or oob_code in the trace is followed by the redaction, never a value.
        for name in ["mfa_token", "oob_code"] {
            let mentions = result.stderr.components(separatedBy: name).dropFirst()
            #expect(!mentions.isEmpty && mentions.allSatisfy { $0.prefix(16).contains("redacted") }, "\(name) unredacted: \(result)")
        }
        probe.expectNoLeak(Self.needles("the MFA user's password", GrantMFAFlowTests.password)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret), after: result)
        for file in Probe.files(under: probe.cacheFolder) {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            #expect(!text.contains("mfa_token") && !text.contains("oob_code"), "\(file.path)")
        }
    }

    @Test("okta_otp: a refused (sentinel) passcode is 77 on every command; the passcode appears nowhere",
          arguments: GrantMFAFlowTests.servers, Source.allCases)
    func passwordlessRefusedPasscode(kind: ServerKind, source: Source) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: source)
        let otp = try probe.reference("otp", Sentinel.passcode, via: source)
        let profile = server.okta("default") + Self.client(server, secret: secret)
            + "grant: {type: okta_otp, username: \(GrantMFAFlowTests.user), otp: \(otp)}\nretries: 0\n"
        try probe.sandbox.write(ProfileYAML.file(["nopw": profile]))
        let needles = Self.needles("the sentinel passcode", Sentinel.passcode)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret)
            + [Needle(label: "a sentinel marker", value: "SENTINEL-")]
        try await expectRefusedEverywhere(probe, "nopw", exitCode: 77, trace: true, needles: needles)
    }

    @Test("okta_oob by SMS, with --verbose: the oob_code and the typed code are redacted in the trace, shown and cached nowhere",
          arguments: GrantMFAFlowTests.servers)
    func passwordlessCodeTraceRedacts(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let probe = try Probe()
        let profile = server.okta("default") + Self.client(server, secret: try probe.reference("client_secret", server.fixture.clientSecret, via: .env))
            + "grant: {type: okta_oob, username: \(GrantMFAFlowTests.user), channel: sms, code: \(GrantMFAFlowTests.typing)}\n"
        try probe.sandbox.write(ProfileYAML.file(["nopw": profile]))
        let run = try InteractiveRun(probe.sandbox, ["token", "--verbose", "nopw", "--format", "json"])
        _ = try await run.await("by SMS")
        let sent = try await GrantMFAFlowTests().challenge(server)
        let code = try #require(sent["code"] as? String)
        try Data(code.utf8).write(to: probe.sandbox.work.appendingPathComponent("sms.txt"))
        let result = try await run.result()
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("/primary-authenticate") && result.stderr.contains("binding_code"), "the trace shows the requests; \(result)")
        for name in ["oob_code", "binding_code"] {
            let mentions = result.stderr.components(separatedBy: name).dropFirst()
            #expect(!mentions.isEmpty && mentions.allSatisfy { $0.prefix(16).contains("redacted") }, "\(name) unredacted: \(result)")
        }
        probe.expectNoLeak(Self.needles("the SMS code", code)
            + Self.clientSecretNeedles("the real client secret", clientID: server.fixture.clientID, server.fixture.clientSecret), after: result)
        for file in Probe.files(under: probe.cacheFolder) {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            #expect(!text.contains("oob_code") && !text.contains("binding_code"), "\(file.path)")
        }
    }

    @Test("success with private_key_jwt (the key from file:, env: or command:), every command with --verbose: no line of the key anywhere",
          arguments: Source.allCases)
    func successPrivateKey(source: Source) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let probe = try Probe()
        let key = try probe.reference("private_key", Self.privateKeyPEM, via: source)
        try probe.sandbox.write(ProfileYAML.file(["pk": Self.privateKeyProfile(server.okta("default"), key: key)]))
        try await everySuccessPath(probe, "pk", kind: .authflowServe, needles: Self.privateKeyNeedles, helperRuns: source == .command)
    }

    // MARK: - TLS client key (RFC 8705 tls_client_auth, against the HTTPS server of TLSWorld)

    /// The distinctive lines of a PEM key made at test time.
    static func keyNeedles(_ pem: String) -> [Needle] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 32 }
            .map { Needle(label: "a line of the TLS client key", value: $0) }
    }

    /// A probe whose working folder holds the test CA and `certificate`, with a tls_client_auth profile
    /// `mt` whose key (`keyName` of the PKI) comes from `source`.
    static func clientKeyProbe(_ world: TLSWorld, certificate: String, keyName: String, source: Source) throws -> (Probe, [Needle]) {
        let probe = try Probe()
        let pem = try world.pki.text(keyName)
        let key = try probe.reference("client_key", pem, via: source)
        try probe.sandbox.write(try world.pki.text("ca.pem"), to: "ca.pem")
        try probe.sandbox.write(try world.pki.text(certificate), to: certificate)
        try probe.sandbox.write(ProfileYAML.file(["mt": TLSTests.mtlsProfile(world, cert: certificate, key: key) + "retries: 0\n"]))
        let needles = keyNeedles(pem)
        #expect(needles.count >= 3, "the key has distinctive lines to look for")
        return (probe, needles)
    }

    @Test("tls_client_auth with the client key from file:, env: or command:, every command with --verbose: no line of the key anywhere",
          arguments: Source.allCases)
    func successClientKey(source: Source) async throws {
        let world = try TLSWorld.required()
        let (probe, needles) = try Self.clientKeyProbe(world, certificate: "client.pem", keyName: "client.key", source: source)
        try await everySuccessPath(probe, "mt", kind: .authlib, needles: needles, helperRuns: source == .command)
    }

    @Test("tls_client_auth refused (a certificate no client has): 77 on every command, no line of the key anywhere",
          arguments: Source.allCases)
    func refusedClientKey(source: Source) async throws {
        let world = try TLSWorld.required()
        let (probe, needles) = try Self.clientKeyProbe(world, certificate: "stranger.pem", keyName: "stranger.key", source: source)
        try await expectRefusedEverywhere(probe, "mt", exitCode: 77, trace: true, needles: needles)
    }

    // MARK: - The scan itself

    @Test("canary: the scan finds a value in an exec child's environment, on stdout, and in a cache file")
    func scanCanary() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let probe = try Probe()
        let secret = try probe.reference("client_secret", server.fixture.clientSecret, via: .file)
        let password = try probe.reference("password", server.fixture.password, via: .file)
        try probe.sandbox.write(ProfileYAML.file(["prod": Self.passwordProfile(server, secret: secret, password: password)]))
        let canary = "SENTINEL-canary-0d9e"
        probe.sandbox.environment["CANARY"] = canary  // not an env: reference, so not excused as inherited
        let result = try await probe.sandbox.run(["exec", "--verbose", "prod", "--", "sh", "-c", probe.childScript + "; printf '%s' \"$CANARY\""])
        #expect(result.exitCode == 0, "\(result)")
        try Data(canary.utf8).write(to: probe.cacheFolder.appendingPathComponent("canary.txt"))
        let places = probe.expectNoLeak([Needle(label: "the canary", value: canary)], after: result, record: false)
        #expect(places.contains("stdout"), "\(places)")
        #expect(places.contains("the environment of the exec child"), "\(places)")
        #expect(places.contains { $0.hasSuffix("canary.txt") }, "\(places)")
    }
}
