import AuthFlowCore
import Foundation
import Testing

/// Values a writer must refuse, with the exit code the CLI reports and no token in the message.
@Suite struct OutputRefusalTests {
    /// A control character, named by code point so test logs stay readable.
    struct Control: Sendable, CustomTestStringConvertible {
        let scalar: Unicode.Scalar
        var testDescription: String { "U+" + String(scalar.value, radix: 16, uppercase: true) }
    }

    static let controls = [0x0D, 0x0A, 0x00, 0x1B, 0x09, 0x7F, 0x85, 0x9F, 0x2028, 0x2029]
        .compactMap(Unicode.Scalar.init).map(Control.init)
    static let secretHead = "tok9Q", secretTail = "Zsecret77"

    /// Runs `body`, expects an `AuthFlowError` of `kind`, and checks nothing of the token leaked.
    @discardableResult
    static func expectRefusal(_ kind: AuthFlowError.Kind, mentioning words: [String] = [], _ body: () throws -> String,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) -> AuthFlowError? {
        let error = #expect(throws: AuthFlowError.self, sourceLocation: sourceLocation) { try body() }
        guard let error else { return nil }
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        let text = error.message + " " + (error.hint ?? "") + " " + error.details
        for word in words {
            #expect(error.message.contains(word), "\(error.message)", sourceLocation: sourceLocation)
        }
        #expect(!text.contains(secretHead) && !text.contains(secretTail), "leaks the token: \(text)", sourceLocation: sourceLocation)
        return error
    }

    static func token(_ value: String) -> String { secretHead + value + secretTail }

    @Test(arguments: WriterCase.all, controls)
    func controlCharacterInAccessTokenIsRefusedByEveryWriter(_ writer: WriterCase, _ control: Control) {
        var token = OutputFixtures.full
        token.accessToken = Self.token(String(control.scalar))
        Self.expectRefusal(.protocolError, mentioning: ["access token", "control character"]) { try writer.write(token) }
    }

    @Test(arguments: WriterCase.all.filter { $0.label.hasPrefix("env") }, controls)
    func controlCharacterInAnyEnvValueIsRefused(_ writer: WriterCase, _ control: Control) {
        let fields: [(String, WritableKeyPath<TokenSet, String>)] = [("token type", \.tokenType)]
        let optionals: [(String, WritableKeyPath<TokenSet, String?>)] = [("scope", \.scope), ("ID token", \.idToken)]
        for (field, path) in fields {
            var token = OutputFixtures.full
            token[keyPath: path] = Self.token(String(control.scalar))
            Self.expectRefusal(.protocolError, mentioning: [field]) { try writer.write(token) }
        }
        for (field, path) in optionals {
            var token = OutputFixtures.full
            token[keyPath: path] = Self.token(String(control.scalar))
            Self.expectRefusal(.protocolError, mentioning: [field]) { try writer.write(token) }
        }
    }

    @Test(arguments: [RawWriter() as any OutputWriter, HeaderWriter()], ["\u{0}", "\n", " ", "\"", ",", ";", ":", "ä", "\u{301}", "\\"])
    func headerAndRawRequireB64Token(_ writer: any OutputWriter, _ bad: String) {
        for placement in [Self.token(bad), bad + Self.secretTail, Self.secretHead + "=" + bad, bad] {
            var token = OutputFixtures.full
            token.accessToken = placement
            Self.expectRefusal(.protocolError, mentioning: ["access token"]) { try writer.write(token, options: OutputFixtures.options()) }
            token = OutputFixtures.full
            token.idToken = placement
            Self.expectRefusal(.protocolError, mentioning: ["ID token"]) { try writer.write(token, options: OutputFixtures.options(useIDToken: true)) }
        }
    }

    @Test(arguments: ["", "=", "==abc", "a=b", "a b", "Bearer abc"])
    func malformedB64TokenIsRefused(_ value: String) {
        var token = OutputFixtures.full
        token.accessToken = value
        Self.expectRefusal(.protocolError) { try HeaderWriter().write(token, options: OutputFixtures.options()) }
        Self.expectRefusal(.protocolError) { try RawWriter().write(token, options: OutputFixtures.options()) }
    }

    @Test(arguments: ["'", "\\", "it's", #"C:\path"#, "'\u{301}", "\\\u{301}"])
    func dotenvRefusesQuoteAndBackslash(_ value: String) {
        var token = OutputFixtures.full
        token.scope = Self.token(value)
        let error = Self.expectRefusal(.protocolError, mentioning: ["AUTHFLOW_SCOPE"]) {
            try EnvWriter().write(token, options: OutputFixtures.options(DotenvDialect()))
        }
        #expect(error?.message.contains("dotenv") == true)
    }

    @Test(arguments: ["1X", "A-B", "A B", "$(id)", "é_", "A\nB", "X;", "9"])
    func badPrefixIsAUsageError(_ prefix: String) {
        for dialect in ShellDialects.all {
            let error = Self.expectRefusal(.usage, mentioning: ["prefix"]) {
                try EnvWriter().write(OutputFixtures.full, options: OutputFixtures.options(dialect, prefix: prefix))
            }
            #expect(error?.message.contains("\n") == false, "a prefix's newline must be escaped in the message")
            #expect(error?.hint?.isEmpty == false)
        }
    }

    @Test(arguments: WriterCase.all.filter { ["raw", "header"].contains($0.label) })
    func idTokenRequestedButAbsent(_ writer: WriterCase) {
        var options = writer.options
        options.useIDToken = true
        let error = Self.expectRefusal(.protocolError, mentioning: ["ID token"]) { try writer.writer.write(OutputFixtures.minimal, options: options) }
        #expect(error?.hint?.contains("ask for the 'openid' scope") == true)
    }

    @Test(arguments: WriterCase.all.filter { $0.label != "raw" && $0.label != "header" })
    func expiryOutOfRangeIsRefusedNotATrap(_ writer: WriterCase) {
        for seconds in [1e300, -1, 253_402_300_800, .infinity] {
            var token = OutputFixtures.full
            token.expiresAt = Date(timeIntervalSince1970: seconds)
            Self.expectRefusal(.protocolError, mentioning: ["expiry"]) { try writer.write(token) }
        }
    }
}
