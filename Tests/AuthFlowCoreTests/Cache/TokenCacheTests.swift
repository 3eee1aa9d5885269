import AuthFlowCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct TokenCacheTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    func profile(password: String = "one") throws -> Profile {
        let text = """
            version: 1
            profiles:
              p:
                domain: example.okta.com
                client: {id: abc, secret: "literal:\(password)"}
                grant: {type: password, username: u, password: "literal:\(password)"}
                scopes: [openid]
            """
        return try ProfileText.profile(text)
    }

    func token(expiresIn seconds: TimeInterval) -> TokenSet {
        TokenSet(accessToken: "at", tokenType: "Bearer", expiresAt: Date().addingTimeInterval(seconds), scope: "openid",
                 idToken: nil, refreshToken: "rt", response: ["access_token": .string("at"), "refresh_token": .string("rt")])
    }

    @Test func permissionsHoldWhateverTheUmask() throws {
        let old = umask(0)
        defer { umask(old) }
        let folder = CacheFolder(path: root + "/cache")
        try folder.prepare()
        #expect(mode(folder.path) == 0o700)
        try folder.write(Data("x".utf8), to: "f.json")
        #expect(mode(folder.file("f.json")) == 0o600)
    }

    @Test func othersWritableOrForeignFolderIsRefused() throws {
        let open = root + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true)
        chmod(open, 0o777)
        let error = #expect(throws: AuthFlowError.self) { try CacheFolder(path: open).prepare() }
        #expect(error?.message.contains("writable by others") == true)
        if geteuid() == 0 {
            let foreign = root + "/foreign"
            try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
            chown(foreign, 65534, 65534)
            let refused = #expect(throws: AuthFlowError.self) { try CacheFolder(path: foreign).prepare() }
            #expect(refused?.message.contains("belongs to another user") == true)
        }
    }

    @Test("a folder others may write to gets chmod or a folder of its own, never a removal")
    func writableFolderHintNeverRemoves() throws {
        let open = root + "/shared project"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true)
        chmod(open, 0o777)
        let plain = #expect(throws: AuthFlowError.self) { try CacheFolder(path: open).prepare() }
        #expect(plain?.hint?.contains("chmod 700 '\(open)'") == true)
        #expect(plain?.hint?.contains("rm ") == false)
        chmod(open, 0o1777)
        let sticky = #expect(throws: AuthFlowError.self) { try CacheFolder(path: open).prepare() }
        #expect(sticky?.message.contains("mode 1777") == true)
        #expect(sticky?.hint?.contains("'\(open)/authflow'") == true)
        #expect(sticky?.hint?.contains("chmod") == false)
        #expect(sticky?.hint?.contains("rm ") == false)
    }

    @Test func storesAndReadsBackWithoutThePassword() throws {
        let folder = CacheFolder(path: root + "/c")
        try folder.prepare()
        let cache = TokenCache(folder: folder)
        let key = CacheKey(try profile(password: "sentinel-password-123"))
        let entry = try #require(CacheEntry(token: token(expiresIn: 3600), profile: "p", now: Date()))
        try cache.store(entry, for: key)
        let read = try #require(cache.entry(for: key))
        #expect(read.accessToken == "at")
        #expect(read.refreshToken == "rt")
        #expect(read.response["refresh_token"] == nil)
        let text = String(decoding: folder.read(key.entryName) ?? Data(), as: UTF8.self)
        #expect(!text.contains("sentinel-password-123"))
        #expect(!key.entryName.contains("sentinel"))
    }

    @Test func corruptOrForeignFilesAreMisses() throws {
        let folder = CacheFolder(path: root + "/c2")
        try folder.prepare()
        let cache = TokenCache(folder: folder)
        let key = CacheKey(try profile())
        try folder.write(Data("{not json".utf8), to: key.entryName)
        #expect(cache.entry(for: key) == nil)
        try folder.write(Data(#"{"format":"something-else/9"}"#.utf8), to: key.entryName)
        #expect(cache.entry(for: key) == nil)
        let entry = try #require(CacheEntry(token: token(expiresIn: 60), profile: "p", now: Date()))
        try cache.store(entry, for: key)
        #expect(cache.entry(for: key) != nil)
    }

    @Test func keyHashesReferencesNotValues() throws {
        // literal: values print redacted, so two literal passwords share a key: values never reach it.
        #expect(CacheKey(try profile(password: "a")) == CacheKey(try profile(password: "b")))
        var other = try profile()
        other.request.scopes = ["openid", "profile"]
        #expect(CacheKey(other) != CacheKey(try profile()))
    }

    @Test func freshnessUsesTheSkew() throws {
        let entry = try #require(CacheEntry(token: token(expiresIn: 120), profile: "p", now: Date()))
        #expect(entry.isFresh(at: Date(), skew: .seconds(60)))
        #expect(!entry.isFresh(at: Date(), skew: .seconds(600)))
        #expect(CacheEntry(token: TokenSet(accessToken: "a", tokenType: "Bearer", expiresAt: nil, scope: nil, idToken: nil, refreshToken: nil, response: [:]), profile: "p", now: Date()) == nil)
    }

    @Test func cachedPathNeedsNoSecretAndNoNetwork() async throws {
        let cacheRoot = root + "/svc"
        var profile = try profile()
        profile.client.secret = .env("UNSET_SECRET_FOR_TEST")
        profile.source = .okta(base: try #require(URL(string: "http://127.0.0.1:9")), authServer: "org")
        let service = TokenService(environment: ["AUTHFLOW_CACHE_DIR": cacheRoot])
        let folder = CacheFolder(path: cacheRoot)
        try folder.prepare()
        let entry = try #require(CacheEntry(token: token(expiresIn: 3600), profile: "p", now: Date()))
        try TokenCache(folder: folder).store(entry, for: CacheKey(profile))
        // Port 9 is closed and the secret is unset: only the cache can answer.
        let answer = try await service.token(for: profile)
        #expect(answer.accessToken == "at")
        let miss = await #expect(throws: AuthFlowError.self) { try await service.token(for: profile, policy: CachePolicy(minTTL: .seconds(7200))) }
        #expect(miss?.kind == .secret)
    }
}

@Suite struct MinTTLWarningTests {
    @Test("--min-ttl at least the granted lifetime warns with both durations; a shorter one, or none, does not")
    func warning() {
        let policy = CachePolicy(minTTL: .seconds(7200))
        #expect(policy.minTTLWarning(lifetime: 3600)?.hasPrefix("--min-ttl 2h is not less than the 1h the server grants") == true)
        #expect(CachePolicy(minTTL: .seconds(5400)).minTTLWarning(lifetime: 300)?.contains("--min-ttl 1h 30m") == true)
        #expect(CachePolicy(minTTL: .seconds(600)).minTTLWarning(lifetime: 3600) == nil)
        #expect(CachePolicy().minTTLWarning(lifetime: 1) == nil)
    }
}
