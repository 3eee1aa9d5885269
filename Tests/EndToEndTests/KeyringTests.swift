import Foundation
import Testing

/// Secrets in the OS keychain against a real Secret Service (gnome-keyring on a private D-Bus session
/// per test, see `KeyringSession`): `keyring:` references, `authflow keyring set|delete|list`, and
/// `cache.refresh_token: keyring`. What authflow stored is checked with the independent secret-tool.
@Suite("OS keychain", .serialized, .authorizationServers, .enabled(if: KeyringSession.runsHere, "needs dbus-daemon, gnome-keyring-daemon and secret-tool (.ci/run installs them)"))
struct KeyringTests {
    /// A sandbox that reaches `session`'s Secret Service and has no password or secret in its environment.
    func sandbox(_ session: KeyringSession) throws -> Sandbox {
        let sandbox = try Sandbox()
        sandbox.environment.merge(session.environment) { $1 }
        return sandbox
    }

    func cacheFiles(_ sandbox: Sandbox) -> [URL] {
        let folder = URL(fileURLWithPath: sandbox.environment["AUTHFLOW_CACHE_DIR"] ?? "")
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
    }

    func tokenEntry(_ sandbox: Sandbox) throws -> URL {
        try #require(cacheFiles(sandbox).first { $0.lastPathComponent.hasPrefix("token-") && $0.pathExtension == "json" })
    }

    /// Moves the cached entry's expiry into the past, as if an hour had gone by.
    func expire(_ sandbox: Sandbox) throws {
        let entry = try tokenEntry(sandbox)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: entry)) as? [String: Any])
        object["expiresAt"] = Date().timeIntervalSince1970 - 10
        try JSONSerialization.data(withJSONObject: object).write(to: entry)
    }

    /// The account of the refresh token item of the cached entry: the entry's file name without `.json`.
    func refreshAccount(_ sandbox: Sandbox) throws -> String {
        String(try tokenEntry(sandbox).deletingPathExtension().lastPathComponent)
    }

    // MARK: - authflow keyring

    @Test("keyring set stores what stdin holds (one newline stripped) where secret-tool finds it; list names only authflow's items; delete removes them")
    func setListDelete() async throws {
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        #expect(try await sandbox.run(["keyring", "set", "okta/client-secret"], stdin: "s3cr3t value\n").expectSuccess() == "stored okta/client-secret in the keychain\n")
        #expect(try await session.lookup("okta", "client-secret") == "s3cr3t value")
        try await session.store("from-secret-tool", service: "other", account: "me@example.com")
        #expect(try await sandbox.run(["keyring", "set", "corp/me@example.com/prod"], stdin: "x").expectSuccess() == "stored corp/me@example.com/prod in the keychain\n")
        let listed = try await sandbox.run("keyring", "list").expectSuccess()
        #expect(listed == "corp/me@example.com/prod\nokta/client-secret\n", "sorted names, no value, no secret-tool item")
        // Replacing an item secret-tool made leaves one item, authflow's.
        try await session.store("old", service: "svc", account: "acct")
        _ = try await sandbox.run(["keyring", "set", "svc/acct"], stdin: "new\n").expectSuccess()
        #expect(try await session.lookup("svc", "acct") == "new")
        #expect(try await sandbox.run("keyring", "delete", "svc/acct").expectSuccess() == "removed svc/acct from the keychain\n")
        #expect(try await session.lookup("svc", "acct") == nil, "no older item left behind")
        #expect(try await sandbox.run("keyring", "delete", "okta/client-secret").expectSuccess() == "removed okta/client-secret from the keychain\n")
        #expect(try await session.lookup("okta", "client-secret") == nil)
        #expect(try await sandbox.run("keyring", "delete", "okta/client-secret").expectSuccess() == "the keychain has no item okta/client-secret\n")
        #expect(try await session.lookup("other", "me@example.com") == "from-secret-tool", "another tool's item is untouched")
    }

    @Test("keyring set refuses empty input (78), a malformed name (64), and stores nothing")
    func setRefuses() async throws {
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        try await sandbox.run(["keyring", "set", "okta/empty"], stdin: "\n").expectFailure(78, "the secret is empty")
        #expect(try await session.lookup("okta", "empty") == nil)
        try await sandbox.run(["keyring", "set", "no-slash"], stdin: "x").expectFailure(64, "needs a '/' between service and account")
        try await sandbox.run(["keyring", "delete", "/account"], stdin: "").expectFailure(64, "the service before '/' is empty")
        #expect(try await sandbox.run("keyring", "list").expectSuccess() == "")
    }

    /// Runs `authflow keyring set NAME` on a pseudo-terminal that does `action` ("type:TEXT" or "INT") at the prompt.
    func onTerminal(_ sandbox: Sandbox, _ name: String, _ action: String) async throws -> PseudoTerminal.Report {
        try await PseudoTerminal.run(["keyring", "set", name], in: sandbox, waitFor: "Secret for \(name): ", then: action, stdinIsTerminal: true)
    }

    @Test("keyring set on a terminal asks with echo off and stores what was typed; Ctrl-C stores nothing and leaves echo on")
    func setOnTerminal() async throws {
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        let typed = try await onTerminal(sandbox, "okta/typed", "type:typed-secret-value")
        #expect(!typed.echoWhilePrompting, "echo is off while the secret is typed")
        #expect(typed.status == 0 && typed.stdout == "stored okta/typed in the keychain\n", "\(typed)")
        #expect(!typed.tty.contains("typed-secret-value"), "the secret was echoed: \(typed.tty)")
        #expect(try await session.lookup("okta", "typed") == "typed-secret-value")
        let interrupted = try await onTerminal(sandbox, "okta/interrupted", "INT")
        #expect(interrupted.status == -2, "ended by SIGINT: \(interrupted)")
        #expect(interrupted.echoIsOn, "stty -a after Ctrl-C: \(interrupted.stty)")
        #expect(try await session.lookup("okta", "interrupted") == nil)
    }

    // MARK: - keyring: references end to end

    @Test("a client secret stored with secret-tool and a password stored with authflow keyring set get a token", arguments: ServerKind.all)
    func referencesGetAToken(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        try await session.store(server.fixture.clientSecret, service: "e2e", account: "client-secret")
        _ = try await sandbox.run(["keyring", "set", "e2e/password"], stdin: server.fixture.password + "\n").expectSuccess()
        let profile = server.okta("default") + server.client(secret: "keyring:e2e/client-secret")
            + server.passwordGrant(password: "keyring:e2e/password") + "scopes: [openid, profile]\n"
        try sandbox.write(ProfileYAML.file(["prod": profile]))
        let header = try await sandbox.run("header", "--no-cache", "prod").expectSuccess()
        #expect(header.hasPrefix("Authorization: Bearer ") && header.count > 40, "\(header)")
        _ = try await sandbox.run("keyring", "delete", "e2e/password").expectSuccess()
        try await sandbox.run("token", "--no-cache", "prod").expectFailure(78, "grant.password: the keychain has no item e2e/password", hint: "authflow keyring set e2e/password")
    }

    // MARK: - cache.refresh_token: keyring

    @Test("cache.refresh_token: keyring: no refresh token in any cache file; after expiry a refresh without the password; cache clear and revoke remove the item",
          arguments: ServerKind.all)
    func refreshTokenInKeyring(kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        sandbox.environment["E2E_CLIENT_SECRET"] = server.fixture.clientSecret
        let profile = server.passwordProfile("default", scopes: "[openid, offline_access]")
        try sandbox.write(ProfileYAML.file(["prod": profile], defaults: "cache: {refresh_token: keyring}\n"))
        let first = try await sandbox.run("token", "prod", env: ["E2E_PASSWORD": server.fixture.password]).expectSuccess()
        let account = try refreshAccount(sandbox)
        let refreshToken = try #require(try await session.lookup("authflow", account), "the refresh token is in the keychain under authflow/\(account)")
        #expect(!refreshToken.isEmpty)
        func expectNotOnDisk(_ token: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for file in cacheFiles(sandbox) {
                let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
                #expect(!text.contains(token), "a refresh token in \(file.lastPathComponent)", sourceLocation: sourceLocation)
            }
        }
        try expectNotOnDisk(refreshToken)
        #expect(try await sandbox.run("keyring", "list").expectSuccess() == "authflow/\(account)\n")
        // Expired, no password anywhere: the refresh token from the keychain gets a new token.
        try expire(sandbox)
        let listing = try await sandbox.run("profiles").expectSuccess()
        #expect(listing.contains("expired, refreshable"), "the keychain's refresh token counts, unread: \(listing)")
        let second = try await sandbox.run("token", "prod").expectSuccess()
        #expect(second != first)
        let rotated = try #require(try await session.lookup("authflow", account))
        try expectNotOnDisk(rotated)
        try expectNotOnDisk(refreshToken)
        #expect(try await sandbox.run("cache", "clear").expectSuccess() == "removed 1 cached token\n")
        #expect(try await session.lookup("authflow", account) == nil, "cache clear removes the keychain item")
        // revoke (authflow serve; the Authlib stand-in has no revocation endpoint on custom servers):
        // the refresh token read from the keychain is revoked, and the item removed.
        guard kind == .authflowServe else { return }
        _ = try await sandbox.run("token", "prod", env: ["E2E_PASSWORD": server.fixture.password]).expectSuccess()
        #expect(try await session.lookup("authflow", account) != nil)
        #expect(try await sandbox.run("revoke", "prod").expectSuccess() == "revoked the refresh token and access token of prod\n")
        #expect(try await session.lookup("authflow", account) == nil, "revoke removes the keychain item")
    }

    @Test("a cached call of a keyring profile needs no D-Bus session and no libsecret")
    func cachedCallNeedsNoKeychain() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try Sandbox(for: server)
        sandbox.environment.merge(session.environment) { $1 }
        try sandbox.write(ProfileYAML.file(["prod": server.passwordProfile("default", scopes: "[openid, offline_access]", extra: "cache: {refresh_token: keyring}\n")]))
        let first = try await sandbox.run("header", "prod").expectSuccess()
        #expect(try await session.lookup("authflow", try refreshAccount(sandbox)) != nil)
        session.stop()
        let broken = try LibSecretStandIn()
        for arguments in [["header", "prod"], ["token", "--format", "header", "prod"], ["env", "prod"]] {
            let result = try await sandbox.run(arguments, env: ["DBUS_SESSION_BUS_ADDRESS": nil, "XDG_RUNTIME_DIR": broken.folder.path, "LD_LIBRARY_PATH": broken.folder.path])
            let output = result.expectSuccess()
            #expect(output.contains(String(first.dropFirst("Authorization: Bearer ".count).dropLast())), "the cached token; \(result)")
        }
    }

    // MARK: - Failures: exit 78 with the reason

    @Test("no D-Bus session bus at all: 78, naming the missing bus")
    func noBus() async throws {
        let sandbox = try Sandbox()
        try sandbox.write(ProfileYAML.file(["prod": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: keyring:e2e/client-secret}\ngrant: client_credentials\n"]))
        let empty = sandbox.root.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try await sandbox.run(["token", "prod"], env: ["DBUS_SESSION_BUS_ADDRESS": nil, "DISPLAY": nil, "XDG_RUNTIME_DIR": empty.path])
        result.expectFailure(78, "the keychain item e2e/client-secret cannot be read: there is no D-Bus session bus", hint: "keyring guide")
        let listing = try await sandbox.run(["keyring", "list"], env: ["DBUS_SESSION_BUS_ADDRESS": nil, "DISPLAY": nil, "XDG_RUNTIME_DIR": empty.path])
        listing.expectFailure(78, "no D-Bus session bus")
    }

    @Test("a bus with no Secret Service on it: 78, saying none is running")
    func noSecretService() async throws {
        let session = try await KeyringSession(secretService: false, busConfig: KeyringSession.busWithoutServices)
        defer { session.stop() }
        let sandbox = try sandbox(session)
        try sandbox.write(ProfileYAML.file(["prod": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: keyring:e2e/client-secret}\ngrant: client_credentials\n"]))
        try await sandbox.run("token", "prod").expectFailure(78, "no Secret Service is running on the D-Bus session bus", hint: "gnome-keyring-daemon")
    }

    @Test("a locked collection: 78 for a keyring: reference and for keyring set, and the item survives")
    func lockedCollection() async throws {
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        try await session.store("kept", service: "e2e", account: "client-secret")
        try sandbox.write(ProfileYAML.file(["prod": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: keyring:e2e/client-secret}\ngrant: client_credentials\n"]))
        try await session.lock()
        try await sandbox.run("token", "prod").expectFailure(78, "the keychain item e2e/client-secret is locked", hint: "unlock the keyring")
        try await sandbox.run(["keyring", "set", "e2e/client-secret"], stdin: "replacement\n").expectFailure(78, "the keyring is locked", hint: "unlock the keyring")
        try await sandbox.run("keyring", "delete", "e2e/client-secret").expectFailure(78, "is locked")
    }

    @Test("a missing item: 78 naming it, with the command that stores it")
    func missingItem() async throws {
        let session = try await KeyringSession()
        defer { session.stop() }
        let sandbox = try sandbox(session)
        try sandbox.write(ProfileYAML.file(["prod": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: keyring:e2e/nothing-here}\ngrant: client_credentials\n"]))
        try await sandbox.run("token", "prod").expectFailure(78, "client.secret: the keychain has no item e2e/nothing-here", hint: "authflow keyring set e2e/nothing-here")
    }
}

/// A stand-in for a machine without libsecret: a folder holding a `libsecret-1.so.0` that is not a
/// library, put first on LD_LIBRARY_PATH, so dlopen fails there as it does where libsecret is absent.
struct LibSecretStandIn {
    let folder: URL
    private let owner: Sandbox

    init() throws {
        owner = try Sandbox()
        folder = owner.root.appendingPathComponent("no-libsecret", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("libsecret-1.so.0"))
    }
}

/// Without libsecret (see `LibSecretStandIn`) authflow starts and works; only keyring features fail, with 78 and the fix.
@Suite("No libsecret")
struct NoLibSecretTests {
    @Test("keyring: references and authflow keyring fail with 78 naming libsecret; everything else works")
    func withoutLibSecret() async throws {
        let missing = try LibSecretStandIn()
        let sandbox = try Sandbox()
        sandbox.environment["LD_LIBRARY_PATH"] = missing.folder.path
        try sandbox.write(ProfileYAML.file([
            "kr": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: keyring:e2e/client-secret}\ngrant: client_credentials\n",
            "lit": "token_url: http://127.0.0.1:9/token\nclient: {id: x, secret: literal:x}\ngrant: client_credentials\nretries: 0\n",
        ]))
        try await sandbox.run("token", "kr").expectFailure(78, "libsecret cannot be loaded", hint: "apt install libsecret-1-0")
        try await sandbox.run("keyring", "list").expectFailure(78, "libsecret cannot be loaded")
        try await sandbox.run(["keyring", "set", "a/b"], stdin: "x\n").expectFailure(78, "libsecret cannot be loaded")
        _ = try await sandbox.run("validate").expectSuccess()
        // A profile without keyring: gets as far as the (closed) server: libsecret is not needed.
        try await sandbox.run("token", "lit").expectFailure(69, "127.0.0.1:9")
        #expect(try await sandbox.run("--version").exitCode == 0)
    }
}

extension RunResult {
    /// `expectFailure`, with `hint` in the hint line.
    func expectFailure(_ exitCode: Int32, _ fragment: String, hint: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectFailure(exitCode, fragment, sourceLocation: sourceLocation)
        #expect(stderrLines.last?.contains(hint) == true, "the hint lacks '\(hint)'; \(self)", sourceLocation: sourceLocation)
    }
}
