import AuthFlowCore
import Foundation
import Testing

/// `authflow inspect` output for fixed tokens with the clock and time zone fixed, compared with
/// `Fixtures/golden/inspect-*.txt`. `AUTHFLOW_UPDATE_GOLDEN=1 swift test --filter InspectGolden` rewrites them.
@Suite struct InspectGoldenTests {
    /// 2026-11-29T04:00:00Z, shown in UTC+01:00.
    static let time = RelativeTime(now: Date(timeIntervalSince1970: 1_795_924_800), timeZone: TimeZone(secondsFromGMT: 3600) ?? .current)

    static func token(header: String, claims: String) -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return "\(encode(header)).\(encode(claims)).c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
    }

    /// An Okta access token: issued 7 minutes ago, expires in 53.
    static let okta = token(header: #"{"kid":"Jx3TkvXWo6W-1rNr","alg":"RS256"}"#, claims: """
        {"ver":1,"jti":"AT.u5Q3lqzPbxiBV-PT0ZL","iss":"https://example.okta.com/oauth2/default","aud":"api://default",\
        "iat":1795924380,"exp":1795927980,"cid":"0oab8olIgVNOkztHm0h7","uid":"00u1testuser1","scp":["openid","api:read"],\
        "auth_time":1795924380,"sub":"testuser1@example.com","groups":["Everyone","Developers"]}
        """)
    /// An RFC 9068 token that expired two hours ago and carries a hostile claim.
    static let expired = token(header: #"{"typ":"at+jwt","alg":"ES256","kid":"e1"}"#, claims: """
        {"iss":"https://login.example.com","sub":"svc","aud":["https://api.example.com","urn:x"],"client_id":"svc",\
        "scope":"api:read api:write","iat":1795910400,"nbf":1795910400,"exp":1795917600,"jti":"j1","note":"\\u001b[31mred\\u001b[0m"}
        """)

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let token: String
        let colour: Bool
        let json: Bool
        var testDescription: String { file }
    }

    static let cases = [
        Case(file: "inspect-okta.txt", token: okta, colour: false, json: false),
        Case(file: "inspect-okta-colour.txt", token: okta, colour: true, json: false),
        Case(file: "inspect-okta-json.txt", token: okta, colour: false, json: true),
        Case(file: "inspect-expired.txt", token: expired, colour: false, json: false),
        Case(file: "inspect-opaque.txt", token: "x8fJ3kQ0bLw7Zt2vQ9mN4pR6sT8uV0wX", colour: false, json: false),
        Case(file: "inspect-opaque-json.txt", token: "x8fJ3kQ0bLw7Zt2vQ9mN4pR6sT8uV0wX", colour: false, json: true),
    ]

    @Test(arguments: cases)
    func matchesGoldenFile(_ golden: Case) throws {
        let inspector = TokenInspector(time: Self.time, colour: golden.colour)
        let actual = golden.json ? inspector.json(golden.token).serialized(pretty: true) + "\n" : inspector.text(golden.token)
        if ProcessInfo.processInfo.environment["AUTHFLOW_UPDATE_GOLDEN"] == "1" {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/golden", isDirectory: true)
            try actual.write(to: directory.appendingPathComponent(golden.file), atomically: true, encoding: .utf8)
            return
        }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let expected = try #require(try? String(contentsOf: fixtures.appendingPathComponent("golden/\(golden.file)"), encoding: .utf8),
                                    "missing \(golden.file); run AUTHFLOW_UPDATE_GOLDEN=1 swift test --filter InspectGolden")
        #expect(actual == expected)
    }

    @Test func withoutColourThereIsNoEscapeSequence() {
        let text = TokenInspector(time: Self.time, colour: false).text(Self.expired)
        #expect(!text.contains("\u{1B}"), "neither authflow's colours nor the token's escape sequences reach a pipe")
        #expect(TokenInspector(time: Self.time, colour: true).text(Self.okta).contains("\u{1B}[32m"))
    }

    @Test func relativeTimesReadNaturally() {
        #expect(RelativeTime.span(45) == "45 s")
        #expect(RelativeTime.span(53 * 60 + 59) == "53 min")
        #expect(RelativeTime.span(2 * 3600 + 300) == "2 h 5 min")
        #expect(RelativeTime.span(5 * 86400) == "5 days")
        #expect(Self.time.relative(Self.time.now.addingTimeInterval(3180)) == "in 53 min")
        #expect(Self.time.relative(Self.time.now.addingTimeInterval(-420)) == "7 min ago")
    }
}
