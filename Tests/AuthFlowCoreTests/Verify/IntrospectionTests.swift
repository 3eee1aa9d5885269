@testable import AuthFlowCore
import Foundation
import Testing

/// RFC 7662 answers read with the documented exit codes, server text sanitized.
@Suite struct IntrospectionTests {
    let url = URL(fileURLWithPath: "/introspect")
    let secret = Secret("s3cr3t-value")

    func parse(_ status: Int, _ body: String) throws -> IntrospectionResult {
        try Introspector.parse(TransportResponse(status: status, body: Data(body.utf8)), from: url, secrets: [secret])
    }

    func kind(_ status: Int, _ body: String) -> AuthFlowError.Kind? {
        do {
            _ = try parse(status, body)
            return nil
        } catch let error as AuthFlowError {
            #expect(!error.message.contains("s3cr3t-value"))
            return error.kind
        } catch {
            return .internalError
        }
    }

    @Test func activeAndInactiveAnswers() throws {
        let active = try parse(200, #"{"active": true, "scope": "api:read", "exp": 1795927980, "client_id": "c"}"#)
        #expect(active.active)
        #expect(active.response["scope"]?.string == "api:read")
        #expect(try parse(200, #"{"active": false}"#).active == false)
    }

    @Test func serverTextIsSanitized() throws {
        let result = try parse(200, #"{"active": true, "username": "bob\u001b[31m\u202e s3cr3t-value\nx"}"#)
        let name = try #require(result.response["username"]?.string)
        #expect(!name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format })
        #expect(!name.contains("s3cr3t-value"))
    }

    @Test func failuresKeepTheirExitCodes() {
        #expect(kind(200, #"{"scope": "x"}"#) == .protocolError, "no active member")
        #expect(kind(200, "<html>sign in</html>") == .protocolError)
        #expect(kind(401, #"{"error": "invalid_client", "error_description": "bad s3cr3t-value"}"#) == .refused)
        #expect(kind(401, "") == .refused)
        #expect(kind(404, "<html>not found</html>") == .protocolError)
        #expect(kind(503, "down") == .unavailable)
        #expect(kind(429, "") == .unavailable)
    }
}

/// The token a user hands over: trimmed, a `Bearer`/`Authorization:` prefix removed, anything else refused.
@Suite struct TokenInputTests {
    @Test(arguments: ["abc.def.ghi", "  abc.def.ghi\n", "Bearer abc.def.ghi", "Authorization: Bearer abc.def.ghi\r\n"])
    func acceptsATokenAsPeoplePasteIt(_ text: String) throws {
        #expect(try TokenInput.token(from: text) == "abc.def.ghi")
    }

    @Test(arguments: ["", "   \n", "two words", "tab\there", "nul\u{0}", "bell\u{7}x", "caf\u{E9}"])
    func refusesWhatIsNotOneToken(_ text: String) {
        #expect(throws: AuthFlowError.self) { try TokenInput.token(from: text) }
    }
}
