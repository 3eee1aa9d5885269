@testable import AuthFlowCore
import Foundation
import Synchronization
import Testing

@Suite struct HTTPTraceTests {
    /// The trace's text for a failure whose message holds `message`, with `secret` known to the request.
    func traced(_ message: String, secret: String) -> String {
        let lines = Mutex<[String]>([])
        let trace = HTTPTrace { text in lines.withLock { $0.append(text) } }
        let request = TransportRequest(method: "POST", url: URL(string: "https://idp.example.com/token")!, secrets: [Secret(secret)])
        trace.failure(AuthFlowError(.refused, message), for: request)
        return lines.withLock { $0.joined(separator: "\n") }
    }

    @Test("a secret is redacted also when a combining mark follows it, or a control character hides inside it", arguments: [
        ("s3cret-value", "server said s3cret-value\u{301} back"),
        ("s3cret-value", "server said s3cret-value"),
        ("s3cret/value", "form: s3cret%2Fvalue"),
        ("s3c\u{7}ret-value", "server said s3c\u{7}ret-value"),
    ])
    func redactsOnScalars(secret: String, message: String) {
        let text = traced(message, secret: secret)
        // Compared on scalars: a combining mark after `<redacted>` joins its last character.
        #expect(text.replacingScalarOccurrences(of: "<redacted>", with: "") != text, "\(text)")
        #expect(text.replacingScalarOccurrences(of: "s3c", with: "") == text, "\(text)")
    }

    @Test("Direct Authentication requests show who signs in and the channel; the codes are redacted")
    func directAuthenticationFields() {
        let lines = Mutex<[String]>([])
        let trace = HTTPTrace { text in lines.withLock { $0.append(text) } }
        let body = "login_hint=u%40example.com&channel_hint=sms&challenge_hint=urn%3Aokta%3Aparams%3Aoauth%3Agrant-type%3Aoob&otp=123456&oob_code=OOB&binding_code=654321&mfa_token=MFA"
        trace.request(TransportRequest(method: "POST", url: URL(string: "https://idp.example.com/primary-authenticate")!, body: Data(body.utf8)))
        let text = lines.withLock { $0.joined(separator: "\n") }
        #expect(text.contains("login_hint=u@example.com") && text.contains("channel_hint=sms") && text.contains("challenge_hint=urn:okta:params:oauth:grant-type:oob"), "\(text)")
        for name in ["otp", "oob_code", "binding_code", "mfa_token"] {
            #expect(text.contains("\(name)=<redacted>"), "\(name): \(text)")
        }
        #expect(!text.contains("123456") && !text.contains("654321"), "\(text)")
    }
}
