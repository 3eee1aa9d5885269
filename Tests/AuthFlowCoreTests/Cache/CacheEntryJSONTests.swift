import AuthFlowCore
import Foundation
import Testing

/// The cache entry reader without Codable must read exactly what `JSONDecoder` read, and refuse the rest.
@Suite struct CacheEntryJSONTests {
    /// What `TokenCache.store` writes.
    func encoded(_ entry: CacheEntry) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(entry)
    }

    /// What `TokenCache.entry` used to read with.
    func decoded(_ data: Data) -> CacheEntry? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(CacheEntry.self, from: data)
    }

    func same(_ a: CacheEntry?, _ b: CacheEntry?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.format == b.format && a.profile == b.profile && a.obtainedAt == b.obtainedAt && a.expiresAt == b.expiresAt
            && a.accessToken == b.accessToken && a.tokenType == b.tokenType && a.scope == b.scope && a.idToken == b.idToken
            && a.refreshToken == b.refreshToken && a.response == b.response
    }

    @Test func readsWhatTheCacheWritesAsJSONDecoderDid() throws {
        let response: [String: JSONValue] = [
            "access_token": .string("eyJ.a/b+c=="), "token_type": .string("Bearer"), "expires_in": .number(3600),
            "scope": .string("openid profile"), "ratio": .number(0.1), "big": .number(1.5e300), "negative": .number(-42),
            "ok": .bool(true), "no": .bool(false), "nothing": .null, "list": .array([.string("a"), .number(1), .object([:])]),
            "nested": .object(["quote \" back \\ slash /": .string("tab\tnewline\ncontrol\u{01}del\u{7F}"), "unicode": .string("é ✓ 𝄞 \u{2028}")]),
        ]
        let token = TokenSet(accessToken: "eyJ.a/b+c==", tokenType: "Bearer", expiresAt: Date(timeIntervalSince1970: 1_795_936_099.123456),
                             scope: "openid profile", idToken: nil, refreshToken: "rt/+=", response: response)
        let entry = try #require(CacheEntry(token: token, profile: "p", now: Date(timeIntervalSince1970: 1_795_932_499.5)))
        let data = try encoded(entry)
        let read = try #require(CacheEntry(json: data))
        #expect(same(read, decoded(data)))
        #expect(read.idToken == nil && read.refreshToken == "rt/+=" && read.response["big"] == .number(1.5e300))
    }

    @Test(arguments: [
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2e9,"accessToken":"a","tokenType":"Bearer","response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","scope":null,"idToken":"i","response":{},"extra":[1,{"x":null}]}"#,
        " \n\t{ \"format\" : \"authflow-token/1\" , \"profile\":\"\\u00e9\\ud834\\udd1e\",\"obtainedAt\":-0.5E+2,\"expiresAt\":0,\"accessToken\":\"\\/\",\"tokenType\":\"B\",\"response\":{\"a\":[]}}\r\n",
        // Refused by both: another format, missing or mistyped members, not JSON.
        #"{"format":"authflow-token/2","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B"}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":"1","expiresAt":2,"accessToken":"a","tokenType":"B","response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","scope":5,"response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","response":[]}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":01,"expiresAt":2,"accessToken":"a","tokenType":"B","response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1.,"expiresAt":2,"accessToken":"a","tokenType":"B","response":{}}"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","response":{}} x"#,
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":1e999,"accessToken":"a","tokenType":"B","response":{}}"#,
        "{\"format\":\"authflow-token/1\",\"profile\":\"tab\there\",\"obtainedAt\":1,\"expiresAt\":2,\"accessToken\":\"a\",\"tokenType\":\"B\",\"response\":{}}",
        #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a\x","tokenType":"B","response":{}}"#,
        "", "null", "[]", "{", #"{"format":"authflow-token/1""#, "true", "nul",
    ])
    func agreesWithJSONDecoder(_ text: String) {
        let data = Data(text.utf8)
        #expect(same(CacheEntry(json: data), decoded(data).flatMap { $0.format == CacheEntry.currentFormat ? $0 : nil }))
    }

    /// JSONDecoder tolerates a trailing comma; JSONEncoder never writes one, so such a file was edited by
    /// hand, and a miss (a fresh token) is the safe answer.
    @Test func stricterThanJSONDecoderOnTrailingCommas() {
        let text = #"{"format":"authflow-token/1","profile":"p","obtainedAt":1,"expiresAt":2,"accessToken":"a","tokenType":"B","response":{},}"#
        #expect(CacheEntry(json: Data(text.utf8)) == nil)
        #expect(JSONValue.parse(bytes: Array("[1,]".utf8)) == nil)
    }

    @Test func doubtfulInputIsNotJSON() {
        #expect(JSONValue.parse(bytes: Array(#"{"a":1,"a":2}"#.utf8)) == nil)  // a duplicate key: nil, not a guess
        #expect(JSONValue.parse(bytes: Array(#""\ud800""#.utf8)) == nil)  // a lone surrogate
        #expect(JSONValue.parse(bytes: [0x22, 0xFF, 0x22]) == nil)  // invalid UTF-8
        #expect(JSONValue.parse(bytes: Array(String(repeating: "[", count: 300).utf8) + Array(String(repeating: "]", count: 300).utf8)) == nil)
        #expect(JSONValue.parse(bytes: Array(#"[1,-0,2.5e-3,"x",true,false,null]"#.utf8))
                == .array([.number(1), .number(-0.0), .number(0.0025), .string("x"), .bool(true), .bool(false), .null]))
    }
}
