import AuthFlowCore
import Foundation
import Testing

@Suite struct TokenResponseParserTests {
    let url = URL(fileURLWithPath: "/token")
    let now = Date(timeIntervalSince1970: 1_000_000)

    func parse(_ status: Int, _ body: String, secrets: [Secret] = [], headers: [(name: String, value: String)] = []) throws -> TokenSet {
        try TokenResponseParser.parse(TransportResponse(status: status, headers: headers, body: Data(body.utf8)), from: url, secrets: secrets, now: now)
    }

    @Test(arguments: [
        (200, "{\"access_token\": \"abc\"", .protocolError, "not a JSON object"),
        (200, "<html>\n<body>Sign in</body>", .protocolError, "<html>"),
        (200, "{\"token_type\": \"Bearer\"}", .protocolError, "no access_token"),
        (200, "{\"access_token\": \"a\"}", .protocolError, "no token_type"),
        (200, "{\"access_token\": \"a\", \"token_type\": \"mac\"}", .protocolError, "token_type 'mac'"),
        (400, "{\"error\": \"invalid_grant\", \"error_description\": \"bad password\"}", .refused, "invalid_grant: bad password"),
        (401, "{\"error\": \"invalid_client\"}", .refused, "invalid_client"),
        (401, "", .refused, "401 Unauthorized"),
        (404, "<html>Not found</html>", .protocolError, "answered 404"),
        (302, "", .protocolError, "redirecting"),
        (500, "oops", .unavailable, "answered 500"),
        (429, "", .unavailable, "answered 429"),
    ] as [(Int, String, AuthFlowError.Kind, String)])
    func classifiesAnswers(status: Int, body: String, kind: AuthFlowError.Kind, fragment: String) throws {
        let error = try #require(throws: AuthFlowError.self) { try parse(status, body) }
        #expect(error.kind == kind)
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.hint != nil)
    }

    @Test func serverTextIsStrippedAndSecretsScrubbed() throws {
        let body = #"{"error": "invalid_grant", "error_description": "bad \u001b[31mpassword hunter2\nnext"}"#
        let error = try #require(throws: AuthFlowError.self) { try parse(400, body, secrets: [Secret("hunter2")]) }
        #expect(!error.message.contains("\u{1b}"))
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains("hunter2"))
        #expect(error.message.contains("<redacted>"))
    }

    /// Found by the token-response fuzz target: scrubbing ran before control characters were
    /// stripped, so a server that echoed the secret with a NUL inside it got it into the message.
    @Test(arguments: ["hun\u{0}ter2", "hun\u{1b}ter2", "hun\u{200b}ter2", "hunter2\u{301}", "hun\tter2 "])
    func secretsSplitByInvisibleCharactersAreScrubbed(_ echoed: String) throws {
        for response in [(500, "boom \(echoed) boom"), (400, #"{"error":"invalid_grant","error_description":"\#(JSONValue.quote(echoed).dropFirst().dropLast())"}"#)] {
            let secret = echoed.hasSuffix(" ") ? "hun ter2" : "hunter2"
            let error = try #require(throws: AuthFlowError.self) { try parse(response.0, response.1, secrets: [Secret(secret)]) }
            #expect(!Array(error.message.utf8).containsSubsequence(Array(secret.utf8)), "\(error.message)")
            #expect(Array(error.message.utf8).containsSubsequence(Array("<redacted>".utf8)), "\(error.message)")
        }
    }

    /// Found by review next to the fuzz finding: an unsupported token_type was shown unscrubbed.
    @Test func reflectedSecretInTokenTypeIsScrubbed() throws {
        let error = try #require(throws: AuthFlowError.self) { try parse(200, #"{"access_token":"a","token_type":"s3cr#t"}"#, secrets: [Secret("s3cr#t")]) }
        #expect(!error.message.contains("s3cr#t") && error.message.contains("<redacted>"), "\(error.message)")
    }

    @Test func expiryFromExpiresInOrJWT() throws {
        #expect(try parse(200, #"{"access_token":"a","token_type":"Bearer","expires_in":"60"}"#).expiresAt == now.addingTimeInterval(60))
        let claims = Data(#"{"exp":1003600}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let jwt = "eyJhbGciOiJSUzI1NiJ9.\(claims).sig"
        #expect(try parse(200, #"{"access_token":"\#(jwt)","token_type":"Bearer"}"#).expiresAt == Date(timeIntervalSince1970: 1_003_600))
        #expect(try parse(200, #"{"access_token":"opaque","token_type":"Bearer"}"#).expiresAt == nil)
    }

    /// A server's lifetime is believed up to a day, and never past the token's own `exp`.
    @Test func lifetimesAreClamped() throws {
        let day = now.addingTimeInterval(TokenResponseParser.maximumLifetime)
        #expect(try parse(200, #"{"access_token":"a","token_type":"Bearer","expires_in":"1e9"}"#).expiresAt == day)
        #expect(try parse(200, #"{"access_token":"a","token_type":"Bearer","expires_in":1e300}"#).expiresAt == day)
        let claims = Data(#"{"exp":1000600}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let jwt = "eyJhbGciOiJSUzI1NiJ9.\(claims).sig"
        #expect(try parse(200, #"{"access_token":"\#(jwt)","token_type":"Bearer","expires_in":3600}"#).expiresAt == Date(timeIntervalSince1970: 1_000_600))
        let far = Data(#"{"exp":9000000000}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(try parse(200, #"{"access_token":"eyJhbGciOiJSUzI1NiJ9.\#(far).sig","token_type":"Bearer"}"#).expiresAt == day)
    }

    /// A server that echoes the request shows the secret in the encodings the request used:
    /// form-encoded in the body, percent-encoded, inside the Basic header's base64.
    @Test func encodedEchoesAreScrubbed() throws {
        let secret = Secret("p@ss w/rd+ü")
        let basic = ClientAuthentication.basicHeader(clientID: "client", secret: secret)
        let request = TransportRequest(method: "POST", url: url, headers: [("Authorization", basic)],
                                  body: Data(FormEncoding.body([("client_secret", secret.reveal())]).utf8), secrets: [secret])
        let credential = String(basic.dropFirst("Basic ".count))
        let echoes = [FormEncoding.encode(secret.reveal()), "p%40ss%20w%2frd%2b%c3%bc", credential, secret.reveal()]
        for echo in echoes {
            for response in [(400, #"{"error":"invalid_client","error_description":"got \#(echo) from you"}"#), (500, "<html>\(echo)</html>"), (401, "echo: \(echo)")] {
                let error = try #require(throws: AuthFlowError.self) { try parse(response.0, response.1, secrets: request.secrets) }
                #expect(!error.message.contains(echo), "\(echo) in \(error.message)")
                #expect(error.message.contains("<redacted>"), "\(error.message)")
            }
        }
    }

    /// `--format json` and the cache keep unknown members: not those that echo a secret.
    @Test func unknownMembersEchoingASecretAreDropped() throws {
        let secret = Secret("hunter2 x")
        let request = TransportRequest(method: "POST", url: url, headers: [("Authorization", ClientAuthentication.basicHeader(clientID: "c", secret: secret))], secrets: [secret])
        let body = #"{"access_token":"a","token_type":"Bearer","debug":{"request":"client_secret=hunter2+x"},"seen":"\#(request.secrets.last?.reveal() ?? "")","ok":"fine"}"#
        let token = try parse(200, body, secrets: request.secrets)
        #expect(token.response["debug"] == nil && token.response["seen"] == nil)
        #expect(token.response["ok"] == .string("fine") && token.accessToken == "a")
    }

    @Test func unknownMembersAreKept() throws {
        let token = try parse(200, #"{"access_token":"a","token_type":"Bearer","ext":{"x":[1,true]}}"#)
        #expect(token.response["ext"] == .object(["x": .array([.number(1), .bool(true)])]))
    }
}

extension Array where Element: Equatable {
    /// True when `pattern` occurs as a contiguous run.
    func containsSubsequence(_ pattern: [Element]) -> Bool {
        guard !pattern.isEmpty, count >= pattern.count else { return false }
        return (0...(count - pattern.count)).contains { self[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
