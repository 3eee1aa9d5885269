import AuthFlowCore
import Foundation
import Testing

@Suite("Authorization code with PKCE")
struct AuthorizationCodeGrantTests {
    let attempt = AuthorizationCodeGrant.Attempt(verifier: Secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), state: "xyz-state",
                                                 redirectURI: "http://127.0.0.1:8765/callback")
    let issuer = URL(string: "https://example.okta.com/oauth2/default")

    @Test func s256MatchesRFC7636AppendixB() {
        #expect(AuthorizationCodeGrant.challenge(for: attempt.verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func freshAttemptsHaveLongUniqueVerifiersAndStates() {
        let a = AuthorizationCodeGrant.Attempt(redirectURI: "r"), b = AuthorizationCodeGrant.Attempt(redirectURI: "r")
        #expect(a.verifier.reveal().count == 43 && a.verifier != b.verifier && a.state != b.state)
    }

    @Test func authorizationURLCarriesPKCEAndState() throws {
        let url = try #require(AuthorizationCodeGrant.authorizationURL(URL(string: "https://example.okta.com/oauth2/default/v1/authorize")!,
                                                                      clientID: "cli", attempt: attempt, scopes: ["openid", "profile"]))
        let items = Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items == ["response_type": "code", "client_id": "cli", "redirect_uri": "http://127.0.0.1:8765/callback", "scope": "openid profile",
                          "state": "xyz-state", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"])
    }

    @Test func callbackChecks() throws {
        let iss = "iss=https%3A%2F%2Fexample.okta.com%2Foauth2%2Fdefault"
        #expect(try AuthorizationCodeGrant.code(fromCallbackQuery: "code=abc&state=xyz-state&\(iss)", attempt: attempt, issuer: issuer).reveal() == "abc")
        #expect(try AuthorizationCodeGrant.code(fromCallbackQuery: "code=abc&state=xyz-state", attempt: attempt, issuer: issuer).reveal() == "abc")
        let cases: [(String, AuthFlowError.Kind)] = [
            ("code=abc&state=other&\(iss)", .protocolError), ("code=abc&\(iss)", .protocolError),
            ("code=abc&state=xyz-state&iss=https%3A%2F%2Fevil.example", .protocolError), ("state=xyz-state&\(iss)", .protocolError),
            ("error=access_denied&state=xyz-state&\(iss)", .refused),
        ]
        for (query, kind) in cases {
            let error = try #require(throws: AuthFlowError.self) { try AuthorizationCodeGrant.code(fromCallbackQuery: query, attempt: attempt, issuer: issuer) }
            #expect(error.kind == kind, "\(query)")
        }
    }

    @Test func tokenRequestSendsVerifierAndRedirect() {
        let fields = AuthorizationCodeGrant.parameters(code: Secret("c0de"), attempt: attempt).fields
        #expect(fields.map(\.name) == ["grant_type", "code", "redirect_uri", "code_verifier"])
        #expect(fields.last?.value == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }
}
