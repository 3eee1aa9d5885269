@testable import AuthFlowCore
import Foundation
import Testing

@Suite struct ProfileIndexTests {
    let folder: CacheFolder
    let path: String
    let text = """
        version: 1
        profiles:
          p:
            domain: ${HOST:-example.okta.com}
            client: {id: abc, secret: "env:SECRET"}
            grant: client_credentials
            scopes: [openid]
            refresh_skew: 90s
            output: {prefix: OKTA_}
          q:
            domain: example.okta.com
            client: {id: abc}
            grant: client_credentials
        """

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-index-\(UUID().uuidString)").path
        folder = CacheFolder(path: root + "/cache")
        try folder.prepare()
        path = root + "/authflow.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func recorded(_ name: String, environment: [String: String]) throws -> ProfileIndex.Key {
        let bytes = Array(text.utf8)
        let file = try ProfileFile(bytes: bytes, path: path)
        let key = try #require(ProfileIndex.Key(located: (path, .option), profile: name, bytes: bytes))
        ProfileIndex(folder: folder).record(try file.profile(named: name, environment: environment), of: file, under: key, environment: environment)
        return key
    }

    @Test("a record gives back the profile's cache key, refresh_skew and prefix")
    func roundTrip() throws {
        let environment = ["HOST": "corp.okta.com"]
        let key = try recorded("p", environment: environment)
        let profile = try ProfileFile(bytes: Array(text.utf8), path: path).profile(named: "p", environment: environment)
        let entry = try #require(ProfileIndex(folder: folder).entry(for: key, environment: environment))
        #expect(entry.cacheKey == CacheKey(profile))
        #expect(entry.refreshSkew == .seconds(90))
        #expect(entry.outputPrefix == "OKTA_")
    }

    @Test("a changed, added or removed variable is a miss; an unrelated one is not")
    func variables() throws {
        let key = try recorded("p", environment: ["HOST": "corp.okta.com", "OTHER": "1"])
        let index = ProfileIndex(folder: folder)
        #expect(index.entry(for: key, environment: ["HOST": "corp.okta.com", "OTHER": "2"]) != nil)
        #expect(index.entry(for: key, environment: ["HOST": "evil.okta.com"]) == nil)
        #expect(index.entry(for: key, environment: [:]) == nil)
        #expect(index.entry(for: key, environment: ["HOST": ""]) == nil, "empty is not unset")
    }

    @Test("the key covers the bytes, the profile and how the file was found")
    func keys() throws {
        let bytes = Array(text.utf8)
        let base = try #require(ProfileIndex.Key(located: (path, .option), profile: "p", bytes: bytes))
        for other in [ProfileIndex.Key(located: (path, .option), profile: "q", bytes: bytes),
                      ProfileIndex.Key(located: (path, .option), profile: "p", bytes: bytes + [0x0a]),
                      ProfileIndex.Key(located: (path, .search), profile: "p", bytes: bytes)] {
            #expect(try #require(other).hex != base.hex)
        }
        #expect(ProfileIndex.Key(located: (path + ".missing", .option), profile: "p", bytes: bytes) == nil)
    }

    @Test("a record that does not parse, or names a key that is not 64 hex digits, is a miss")
    func tampered() throws {
        let key = try recorded("q", environment: [:])
        let name = key.fileName
        let good = try #require(folder.read(name))
        try Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""key":"[0-9a-f]{64}""#, with: #""key":"../token-x""#, options: .regularExpression).utf8).write(to: URL(fileURLWithPath: folder.file(name)))
        #expect(ProfileIndex(folder: folder).entry(for: key, environment: [:]) == nil)
        try Data(good.prefix(good.count / 2)).write(to: URL(fileURLWithPath: folder.file(name)))
        #expect(ProfileIndex(folder: folder).entry(for: key, environment: [:]) == nil)
        #expect(CacheKey(hex: String(repeating: "a", count: 64)) != nil && CacheKey(hex: String(repeating: "A", count: 64)) == nil)
    }

    @Test("past the limit the records are dropped and rebuilt; removeAll forgets them")
    func bounded() throws {
        for index in 0..<ProfileIndex.limit { try folder.write(Data("{}".utf8), to: "profile-\(index).json") }
        _ = try recorded("q", environment: [:])
        #expect(folder.names().filter { $0.hasPrefix("profile-") }.count == 1)
        ProfileIndex(folder: folder).removeAll()
        #expect(folder.names().filter { $0.hasPrefix("profile-") }.isEmpty)
    }
}
