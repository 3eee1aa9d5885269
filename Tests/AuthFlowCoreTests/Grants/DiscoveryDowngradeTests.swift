import AuthFlowCore
import Foundation
import Testing

/// A discovery document cannot move an https issuer's endpoints onto plain http, not even on
/// loopback, where http is otherwise allowed: the client's credentials would travel in clear.
@Suite struct DiscoveryDowngradeTests {
    func document(issuer: String, token: String) -> String {
        #"{"issuer":"\#(issuer)","token_endpoint":"\#(token)","jwks_uri":"\#(issuer)/keys"}"#
    }

    @Test("an https issuer naming an http loopback token endpoint is refused (76)")
    func httpsIssuerCannotDowngrade() async throws {
        let issuer = "https://127.0.0.1:8443"
        let transport = FakeTransport(script: [json(200, document(issuer: issuer, token: "http://127.0.0.1:8080/token"))])
        let error = await #expect(throws: AuthFlowError.self) {
            try await Discovery(transport: transport).discover(issuer: try #require(URL(string: issuer)))
        }
        #expect(error?.kind == .protocolError)
        #expect(error?.message.contains("token_endpoint 'http://127.0.0.1:8080/token' is not an https URL") == true, "\(String(describing: error?.message))")
        #expect(error?.hint?.contains("the issuer is https") == true)
    }

    @Test("an http loopback issuer may name http loopback endpoints; an https one https endpoints")
    func matchingSchemesAreAccepted() async throws {
        for (issuer, token) in [("http://127.0.0.1:8080", "http://127.0.0.1:8080/token"), ("https://127.0.0.1:8443", "https://127.0.0.1:8443/token")] {
            let transport = FakeTransport(script: [json(200, document(issuer: issuer, token: token))])
            let endpoints = try await Discovery(transport: transport).discover(issuer: try #require(URL(string: issuer)))
            #expect(endpoints.token.absoluteString == token)
        }
    }

    @Test("the issuer kept is the document's own spelling, which verification compares exactly")
    func issuerAsTheDocumentSpellsIt() async throws {
        let transport = FakeTransport(script: [json(200, document(issuer: "https://idp.example.com/", token: "https://idp.example.com/token"))])
        let endpoints = try await Discovery(transport: transport).discover(issuer: try #require(URL(string: "https://idp.example.com")))
        #expect(endpoints.issuer?.absoluteString == "https://idp.example.com/")
    }
}
