@testable import AuthFlowCore
import Foundation
import NIOSSL
import Testing

/// TLS failures in plain words, and the checks made before any connection.
@Suite struct TLSSetupTests {
    struct Reflected: Error, CustomDebugStringConvertible {
        let debugDescription: String
    }

    func explain(_ error: any Error, certificate: Bool = false) -> TLSSetup.Failure? {
        TLSSetup.explain(error, host: "localhost", origin: "https://localhost:8443", presentedCertificate: certificate)
    }

    @Test func untrustedCertificate() throws {
        let failure = try #require(explain(Reflected(debugDescription: "handshakeFailed(sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED]))")))
        #expect(failure.message.hasPrefix("the server's certificate is not trusted: https://localhost:8443 presented"))
        #expect(failure.hint.contains("tls.ca_file") && failure.hint.contains("SSL_CERT_FILE"))
        #expect(!failure.transient)
    }

    @Test func hostnameMismatch() throws {
        let failure = try #require(explain(NIOSSLExtraError.failedToValidateHostname))
        #expect(failure.message.contains("does not match the host name") && failure.message.contains("not issued for localhost"))
        #expect(!failure.transient)
    }

    @Test("alerts about the client certificate name it; others name the alert", arguments: [
        ("TLSV1_ALERT_UNKNOWN_CA", true, "refused the TLS client certificate (TLS alert: unknown CA)"),
        ("TLSV13_ALERT_CERTIFICATE_REQUIRED", false, "requires a TLS client certificate (TLS alert: certificate required)"),
        ("SSLV3_ALERT_BAD_CERTIFICATE", true, "refused the TLS client certificate (TLS alert: bad certificate)"),
        ("SSLV3_ALERT_HANDSHAKE_FAILURE", false, "the TLS handshake with https://localhost:8443 failed (TLS alert: handshake failure)"),
    ])
    func alerts(reason: String, certificate: Bool, message: String) throws {
        let failure = try #require(explain(Reflected(debugDescription: "sslError([Error: 1 error:10000418:SSL routines:OPENSSL_internal:\(reason)])"), certificate: certificate))
        #expect(failure.message.contains(message), "\(failure.message)")
        #expect(!failure.transient)
    }

    @Test func otherErrorsAreNotTLS() {
        #expect(explain(Reflected(debugDescription: "connection refused (errno: 111)")) == nil)
    }

    @Test("a client key that is not a PEM key, or is encrypted, is exit 78 and never echoed")
    func unusableKeys() {
        for text in ["not a key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----"] {
            do {
                _ = try TLSSetup.privateKey(Secret(text))
                Issue.record("accepted \(text)")
            } catch let error as AuthFlowError {
                #expect(error.kind == .secret)
                #expect(error.message.hasPrefix("tls.client_key"))
                #expect(!error.message.contains(text) && !(error.hint ?? "").contains(text))
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a CA or certificate file that is missing or holds no certificate is named with its key")
    func certificateFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.pem")
        try Data("hello\n".utf8).write(to: junk)
        for (path, fragment) in [(junk.path, "holds no PEM certificate"), (folder.appendingPathComponent("missing.pem").path, "cannot be read")] {
            let error = try #require(throws: AuthFlowError.self) { try TLSSetup.certificates(in: path, key: "tls.client_cert") }
            #expect(error.kind == .noInput)
            #expect(error.message == "tls.client_cert \(path) \(fragment)")
        }
    }
}
