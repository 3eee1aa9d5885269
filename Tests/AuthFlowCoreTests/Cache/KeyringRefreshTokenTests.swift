import AuthFlowCore
import Foundation
import Testing

/// `cache.refresh_token: keyring`: the refresh token lives in the keychain, never in the cache
/// folder; the cached path never reads it; a refresh reads it and resolves no password.
@Suite(.serialized) struct KeyringRefreshTokenTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-keyring-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// A password profile whose password is an unset variable: any call that resolves it fails (78).
    func profile(storage: String?, password: String = "env:AUTHFLOW_TEST_UNSET_PASSWORD") throws -> Profile {
        let cache = storage.map { "  cache: {refresh_token: \($0)}\n" } ?? ""
        let text = """
            version: 1
            defaults:
              domain: http://127.0.0.1:9
              auth_server: default
            \(cache)profiles:
              p:
                client: {id: abc}
                grant: {type: password, username: u, password: "\(password)"}
                scopes: [openid, offline_access]
            """
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "f")
        return try ProfileFile(root: parsed.root, source: parsed.source, path: root + "/f").profile(named: "p", environment: [:])
    }

    func tokenResponse(_ access: String, refresh: String?) -> Result<TransportResponse, AuthFlowError> {
        let refreshMember = refresh.map { #","refresh_token":"\#($0)""# } ?? ""
        return json(200, #"{"access_token":"\#(access)","token_type":"Bearer","expires_in":3600\#(refreshMember)}"#)
    }

    func service(_ transport: FakeTransport, _ keychain: MemoryKeychain, warnings: Warnings = Warnings()) -> TokenService {
        var service = TokenService(environment: ["AUTHFLOW_CACHE_DIR": root + "/cache"], warn: { warnings.add($0) }, transport: transport)
        service.keychain = keychain
        return service
    }

    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    var cacheFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/cache")) ?? []).map { root + "/cache/" + $0 }
    }

    func expire(_ profile: Profile) throws {
        let path = root + "/cache/" + CacheKey(profile).entryName
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["expiresAt"] = Date().timeIntervalSince1970 - 10
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    @Test("the refresh token goes to the keychain under authflow/token-KEY and into no cache file; only a refresh reads it")
    func keyringRoundTrip() async throws {
        let keyringProfile = try profile(storage: "keyring", password: "literal:pw")
        let keychain = MemoryKeychain()
        let transport = FakeTransport(script: [tokenResponse("at-1", refresh: "rt-SENTINEL-1"), tokenResponse("at-2", refresh: "rt-SENTINEL-2")])
        #expect(try await service(transport, keychain).token(for: keyringProfile).accessToken == "at-1")
        let item = try #require(TokenCache.keychainItem(for: CacheKey(keyringProfile)))
        #expect(item.description == "authflow/token-\(CacheKey(keyringProfile).hex)")
        #expect(keychain.contents == [item: "rt-SENTINEL-1"])
        for file in cacheFiles {
            #expect(!(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)).contains("rt-SENTINEL"), "\(file)")
        }
        // Cached: the keychain is not read.
        #expect(try await service(transport, keychain).token(for: keyringProfile).accessToken == "at-1")
        #expect(keychain.readCount == 0)
        // Expired: refreshed with the keychain's token; the password (now an unset variable) is not needed.
        try expire(keyringProfile)
        #expect(try await service(transport, keychain).token(for: keyringProfile).accessToken == "at-2")
        let body = String(decoding: try #require(transport.sent.last?.body), as: UTF8.self)
        #expect(body.contains("grant_type=refresh_token") && body.contains("refresh_token=rt-SENTINEL-1"), "\(body)")
        #expect(keychain.contents == [item: "rt-SENTINEL-2"], "the rotated refresh token replaces the old one")
        #expect(keychain.readCount == 1)
        // cache clear forgets the keychain item too.
        #expect(TokenCache(folder: CacheFolder(path: root + "/cache"), keychain: keychain).removeAll() == 1)
        #expect(keychain.contents.isEmpty)
    }

    @Test("an expired keyring profile refreshes without resolving its password")
    func refreshNeedsNoPassword() async throws {
        let unset = try profile(storage: "keyring")
        let keychain = MemoryKeychain()
        let folder = CacheFolder(path: root + "/cache")
        try folder.prepare()
        let stale = try #require(CacheEntry(token: TokenSet(accessToken: "old", tokenType: "Bearer", expiresAt: Date().addingTimeInterval(-10), scope: nil,
                                                            idToken: nil, refreshToken: "rt-1", response: [:]), profile: "p", now: Date()))
        try TokenCache(folder: folder, keychain: keychain).store(stale, for: CacheKey(unset), storage: .keyring)
        let transport = FakeTransport(script: [tokenResponse("new", refresh: nil)])
        #expect(try await service(transport, keychain).token(for: unset).accessToken == "new")
        #expect(keychain.contents.values.sorted() == ["rt-1"], "a server that does not rotate keeps the old refresh token valid")
    }

    @Test("a locked keychain fails a keyring profile's refresh with 78 and the reason, and does not run the grant")
    func lockedKeychainFailsRefresh() async throws {
        let keyringProfile = try profile(storage: "keyring", password: "literal:pw")
        let keychain = MemoryKeychain()
        let transport = FakeTransport(script: [tokenResponse("at-1", refresh: "rt-1")])
        _ = try await service(transport, keychain).token(for: keyringProfile)
        try expire(keyringProfile)
        keychain.failure = AuthFlowError(.secret, "the keychain item authflow/token-x is locked and could not be unlocked", hint: "unlock the keyring")
        let error = await #expect(throws: AuthFlowError.self) { try await service(transport, keychain).token(for: keyringProfile) }
        #expect(error?.kind == .secret)
        #expect(error?.message.contains("the refresh token of profile 'p' cannot be read") == true)
        #expect(error?.message.contains("locked") == true)
        #expect(transport.sent.count == 1, "no second request")
    }

    @Test("a keychain that refuses the refresh token: a warning, the access token still cached, no refresh token anywhere")
    func refusedStoreWarns() async throws {
        let keyringProfile = try profile(storage: "keyring", password: "literal:pw")
        let keychain = MemoryKeychain()
        keychain.failure = AuthFlowError(.secret, "no Secret Service is running")
        let warnings = Warnings()
        let transport = FakeTransport(script: [tokenResponse("at-1", refresh: "rt-SENTINEL")])
        #expect(try await service(transport, keychain, warnings: warnings).token(for: keyringProfile).accessToken == "at-1")
        #expect(warnings.all == ["refresh token not kept: no Secret Service is running"])
        let entry = try #require(TokenCache(folder: CacheFolder(path: root + "/cache")).entry(for: CacheKey(keyringProfile)))
        #expect(entry.accessToken == "at-1" && entry.refreshToken == nil && entry.refreshTokenInKeyring == nil)
    }

    @Test("switching a profile to keyring moves a refresh token out of its cache file on the next call")
    func movesFileTokenToKeyring() async throws {
        let fileProfile = try profile(storage: nil, password: "literal:pw")
        let keychain = MemoryKeychain()
        let transport = FakeTransport(script: [tokenResponse("at-1", refresh: "rt-SENTINEL")])
        _ = try await service(transport, keychain).token(for: fileProfile)
        #expect(try String(contentsOfFile: root + "/cache/" + CacheKey(fileProfile).entryName, encoding: .utf8).contains("rt-SENTINEL"))
        let keyringProfile = try profile(storage: "keyring", password: "literal:pw")
        #expect(CacheKey(keyringProfile) == CacheKey(fileProfile), "where the refresh token is kept does not change which token the profile gets")
        #expect(service(transport, keychain).cachedToken(for: keyringProfile) == nil, "the fast path leaves the move to the full path")
        #expect(try await service(transport, keychain).token(for: keyringProfile).accessToken == "at-1")
        #expect(transport.sent.count == 1, "the access token is still good: no request")
        #expect(keychain.contents.values.sorted() == ["rt-SENTINEL"])
        for file in cacheFiles {
            #expect(!(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)).contains("rt-SENTINEL"), "\(file)")
        }
        // And back: a file profile's next store takes the item out of the keychain.
        try expire(keyringProfile)
        let back = FakeTransport(script: [tokenResponse("at-2", refresh: "rt-BACK")])
        #expect(try await service(back, keychain).token(for: fileProfile).accessToken == "at-2")
        #expect(String(decoding: try #require(back.sent.last?.body), as: UTF8.self).contains("refresh_token=rt-SENTINEL"))
        #expect(keychain.contents.isEmpty)
        #expect(try String(contentsOfFile: root + "/cache/" + CacheKey(fileProfile).entryName, encoding: .utf8).contains("rt-BACK"))
    }

    /// The cache entry as written before `cache.refresh_token` existed.
    struct EarlierEntry: Codable {
        var format: String, profile: String, obtainedAt: Date, expiresAt: Date, accessToken: String, tokenType: String
        var scope: String?, idToken: String?, refreshToken: String?
        var response: [String: JSONValue]
    }

    @Test("a profile without cache.refresh_token writes its cache file byte for byte as before")
    func fileFormatUnchanged() throws {
        let folder = CacheFolder(path: root + "/cache")
        try folder.prepare()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = TokenSet(accessToken: "at", tokenType: "Bearer", expiresAt: now.addingTimeInterval(3600), scope: "openid",
                             idToken: "id", refreshToken: "rt", response: ["access_token": .string("at"), "scope": .string("openid")])
        let entry = try #require(CacheEntry(token: token, profile: "p", now: now))
        let key = CacheKey(try profile(storage: nil))
        try TokenCache(folder: folder, keychain: MemoryKeychain()).store(entry, for: key)
        let earlier = EarlierEntry(format: entry.format, profile: entry.profile, obtainedAt: entry.obtainedAt, expiresAt: entry.expiresAt, accessToken: entry.accessToken,
                                   tokenType: entry.tokenType, scope: entry.scope, idToken: entry.idToken, refreshToken: entry.refreshToken, response: entry.response)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        #expect(try #require(folder.read(key.entryName)) == (try encoder.encode(earlier)))
        #expect(CacheKey(try profile(storage: nil)) == CacheKey(try profile(storage: "file")))
    }

    @Test("cache.refresh_token is inherited from defaults, overridden per profile, and checked against file|keyring")
    func profileKey() throws {
        #expect(try profile(storage: nil).refreshTokenStorage == .file)
        #expect(try profile(storage: "keyring").refreshTokenStorage == .keyring)
        let text = "version: 1\nprofiles:\n  p:\n    domain: example.okta.com\n    client: {id: a}\n    grant: client_credentials\n    cache: {refresh_token: keychain}\n"
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "f.yaml")
        let error = #expect(throws: DiagnosticsError.self) { try ProfileFile(root: parsed.root, source: parsed.source, path: root + "/f.yaml").profile(named: "p", environment: [:]) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.location.line == 7, "\(diagnostic)")
        #expect(diagnostic.message.hasPrefix("cache.refresh_token: 'keychain' is not one of file, keyring"), "\(diagnostic.message)")
    }
}
