import Foundation
import NIOSSL

/// The TLS side of a profile's transport: which roots are trusted, which client certificate is
/// presented, and what a failed handshake means in plain words. Verification is never turned off.
enum TLSSetup {
    /// A client configuration with full verification (chain and host name). `SSL_CERT_FILE`
    /// replaces the system's roots (as OpenSSL reads it), `caFile` adds to them, and a client
    /// certificate is presented whenever a server asks for one.
    static func configuration(caFile: String?, sslCertFile: String?, clientCertificate: (chainFile: String, key: Secret)?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let sslCertFile { tls.trustRoots = .file(sslCertFile) }
        if let caFile {
            tls.additionalTrustRoots = [.certificates(try certificates(in: caFile, key: "tls.ca_file"))]
        }
        if let identity = clientCertificate {
            tls.certificateChain = try certificates(in: identity.chainFile, key: "tls.client_cert").map { .certificate($0) }
            tls.privateKey = .privateKey(try privateKey(identity.key))
            do {
                // BoringSSL checks here that the key belongs to the leaf; better now than as a handshake failure.
                _ = try NIOSSLContext(configuration: tls)
            } catch {
                throw AuthFlowError(.secret, "tls.client_key is not the private key of the certificate in tls.client_cert (\(identity.chainFile))",
                                    hint: "point tls.client_key at the key the certificate was issued for")
            }
        }
        return tls
    }

    /// The PEM certificates in `path`, or an error naming the profile key.
    static func certificates(in path: String, key: String) throws -> [NIOSSLCertificate] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AuthFlowError(.noInput, "\(key) \(path) cannot be read", hint: "check the path (relative paths start at the profile file's folder)")
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw AuthFlowError(.noInput, "\(key) \(path) holds no PEM certificate", hint: "give a file with -----BEGIN CERTIFICATE----- blocks (convert DER with: openssl x509 -inform der)")
        }
        return certificates
    }

    /// The client certificate's private key; its text never reaches a message.
    static func privateKey(_ key: Secret) throws -> NIOSSLPrivateKey {
        let text = key.reveal()
        if text.contains("ENCRYPTED") {
            throw AuthFlowError(.secret, "tls.client_key is an encrypted private key, which authflow cannot use",
                                hint: "store it unencrypted (e.g. openssl pkey -in key.pem -out plain.pem) in a file only you can read, or fetch it with command:")
        }
        guard let parsed = try? NIOSSLPrivateKey(bytes: Array(text.utf8), format: .pem) else {
            throw AuthFlowError(.secret, "tls.client_key is not a usable private key (expected a PEM RSA or EC key)",
                                hint: "check that it points at the certificate's private key, -----BEGIN PRIVATE KEY----- or similar")
        }
        return parsed
    }

    // MARK: - Failures

    /// A TLS failure explained: what the user sees, and whether another attempt could help.
    struct Failure {
        let message: String
        let hint: String
        /// False for certificate problems: a retry meets the same certificate.
        let transient: Bool
    }

    /// Plain words for a TLS failure talking to `host` at `origin` (`https://host:port`), or nil when
    /// `error` is not about TLS. `presentedCertificate` says whether the profile has a client certificate.
    static func explain(_ error: any Error, host: String, origin: String, presentedCertificate: Bool) -> Failure? {
        let text = String(reflecting: error)
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return Failure(message: "the server's certificate does not match the host name: \(origin) presented a trusted certificate that is not issued for \(host)",
                           hint: "use the host name the certificate names (for a loopback server often localhost, not 127.0.0.1), or have the server's certificate list \(host)",
                           transient: false)
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return Failure(message: "the server's certificate is not trusted: \(origin) presented a certificate that no trusted certificate authority signed, or that has expired",
                           hint: "if \(host) uses a private CA, set tls.ca_file in the profile (or SSL_CERT_FILE) to that CA's PEM certificate",
                           transient: false)
        }
        if let alert = alert(in: text) {
            if alert.aboutClientCertificate {
                let message = presentedCertificate
                    ? "\(origin) refused the TLS client certificate (TLS alert: \(alert.name))"
                    : "\(origin) requires a TLS client certificate (TLS alert: \(alert.name))"
                let hint = presentedCertificate
                    ? "check tls.client_cert and tls.client_key: the server must trust the certificate's issuer, and the certificate must be valid"
                    : "set tls.client_cert and tls.client_key in the profile (mutual TLS, RFC 8705)"
                return Failure(message: message, hint: hint, transient: false)
            }
            return Failure(message: "the TLS handshake with \(origin) failed (TLS alert: \(alert.name))",
                           hint: "the server and authflow may share no TLS version or cipher; check that the URL is the server's HTTPS port", transient: false)
        }
        guard error is NIOSSLError || error is BoringSSLError || text.contains("NIOSSL") else { return nil }
        return Failure(message: "the TLS connection to \(origin) failed (\(String(describing: error).sanitizedForTerminal(limit: 160)))",
                       hint: "check that the URL is the server's HTTPS port and that no proxy intercepts TLS", transient: true)
    }

    /// The alert a peer sent, from BoringSSL's reason (`..._ALERT_UNKNOWN_CA` → `unknown CA`).
    private static func alert(in text: String) -> (name: String, aboutClientCertificate: Bool)? {
        guard let range = text.range(of: #"(SSLV3|TLSV1|TLSV13)_ALERT_[A-Z_]+"#, options: .regularExpression) else { return nil }
        let reason = text[range].split(separator: "_").drop { $0 != "ALERT" }.dropFirst()
        let name = reason.map { $0 == "CA" ? "CA" : $0.lowercased() }.joined(separator: " ")
        let certificateAlerts: Set = ["bad certificate", "unknown CA", "certificate unknown", "certificate required", "certificate expired",
                                      "certificate revoked", "unsupported certificate", "access denied"]
        return (name, certificateAlerts.contains(name))
    }
}
