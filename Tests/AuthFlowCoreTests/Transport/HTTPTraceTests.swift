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
}
