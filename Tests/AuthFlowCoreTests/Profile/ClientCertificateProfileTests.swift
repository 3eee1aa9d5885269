@testable import AuthFlowCore
import Foundation
import Testing

/// `tls.client_cert`, `tls.client_key` and `client.auth: tls_client_auth` (RFC 8705) in the model.
@Suite struct ClientCertificateProfileTests {
    func load(_ body: String, name: String = "p") throws -> Profile {
        let text = "version: 1\nprofiles:\n  p:\n    domain: example.okta.com\n    grant: client_credentials\n"
            + body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "f")
        return try ProfileFile(root: parsed.root, source: parsed.source, path: "/work/profiles/authflow.yaml").profile(named: name, environment: [:])
    }

    @Test("with a certificate and no secret or key, tls_client_auth is the default; the key is a secret reference")
    func defaultsToTLSClientAuth() throws {
        let profile = try load("client: {id: mtls-service}\ntls: {client_cert: certs/client.pem, client_key: env:CLIENT_KEY}")
        #expect(profile.client.auth == .tlsClientAuth)
        #expect(profile.connection.clientCertificate?.chainFile == "/work/profiles/certs/client.pem")
        #expect(profile.connection.clientCertificate?.key == .env("CLIENT_KEY"))
        #expect(profile.secretReferences.contains(.env("CLIENT_KEY")))
        #expect(profile.secretVariables == ["CLIENT_KEY"])
    }

    @Test("with a secret, the certificate only binds tokens: client_secret_basic stays the default")
    func certificateWithASecret() throws {
        let profile = try load("client: {id: app, secret: env:S}\ntls: {client_cert: c.pem, client_key: file:c.key}")
        #expect(profile.client.auth == .clientSecretBasic)
        #expect(profile.connection.clientCertificate != nil)
    }

    @Test("tls_client_auth sends client_id in the body and nothing secret")
    func requestParts() {
        let applied = ClientAuthentication.apply(.tlsClientAuth, clientID: "mtls service", secret: nil)
        #expect(applied.headers.isEmpty)
        #expect(applied.fields.map(\.name) == ["client_id"])
        #expect(applied.fields.first?.value == "mtls service")
    }

    @Test("another certificate or key reference is another cache entry; the key's value is never part of it")
    func cacheKey() throws {
        let a = try load("client: {id: m}\ntls: {client_cert: a.pem, client_key: env:K}")
        let b = try load("client: {id: m}\ntls: {client_cert: b.pem, client_key: env:K}")
        let c = try load("client: {id: m}\ntls: {client_cert: a.pem, client_key: env:OTHER}")
        #expect(Set([CacheKey(a), CacheKey(b), CacheKey(c)]).count == 3)
    }
}
