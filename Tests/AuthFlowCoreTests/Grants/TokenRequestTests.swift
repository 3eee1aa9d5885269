import AuthFlowCore
import Foundation
import Testing

@Suite struct TokenRequestTests {
    static let profileText = """
        version: 1
        profiles:
          p:
            domain: http://127.0.0.1:1
            auth_server: default
            client: {id: "my client", secret: "literal:s3cr3t/+= &%x", auth: AUTH}
            grant: {type: password, username: "u@example.com", password: "literal:p&ss w=rd"}
            scopes: [openid, profile]
            audience: api://x
            params: {login_hint: bob}
        """

    func profile(auth: String = "client_secret_basic") throws -> Profile {
        let text = Self.profileText.replacingOccurrences(of: "AUTH", with: auth)
        return try ProfileText.profile(text)
    }

    func client(_ transport: FakeTransport) -> TokenClient {
        TokenClient(transport: transport, resolver: SecretResolver(environment: [:], baseDirectory: "/tmp"), now: { Date(timeIntervalSince1970: 1000) })
    }

    @Test func basicAuthFormEncodesIdAndSecretBeforeBase64() throws {
        let header = ClientAuthentication.basicHeader(clientID: "my client", secret: Secret("s3cr3t/+= &%x"))
        let decoded = try #require(Data(base64Encoded: String(header.dropFirst("Basic ".count))))
        #expect(String(decoding: decoded, as: UTF8.self) == "my+client:s3cr3t%2F%2B%3D+%26%25x")
    }

    @Test func passwordRequestIsOneFormPost() async throws {
        let transport = FakeTransport(script: [json(200, #"{"access_token":"at","token_type":"Bearer","expires_in":3600,"scope":"openid profile","id_token":"a.b.c","refresh_token":"rt"}"#)])
        let profile = try profile()
        let token = try await client(transport).requestToken(for: profile, endpoints: Endpoints.staticEndpoints(for: profile.source) ?? Endpoints(issuer: nil, token: URL(fileURLWithPath: "/")))
        #expect(token.accessToken == "at")
        #expect(token.expiresAt == Date(timeIntervalSince1970: 4600))
        #expect(token.refreshToken == "rt")
        let request = try #require(transport.sent.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://127.0.0.1:1/oauth2/default/v1/token")
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(headers["Accept"] == "application/json")
        #expect(headers["User-Agent"]?.hasPrefix("authflow/") == true)
        #expect(headers["Authorization"]?.hasPrefix("Basic ") == true)
        let body = String(decoding: request.body ?? Data(), as: UTF8.self)
        #expect(body == "grant_type=password&username=u%40example.com&password=p%26ss+w%3Drd&scope=openid+profile&audience=api%3A%2F%2Fx&login_hint=bob")
        // The password, the client secret, and the Basic credentials made of it (a server may echo those).
        #expect(request.secrets.count == 3)
        #expect(request.secrets.last?.reveal() == headers["Authorization"].map { String($0.dropFirst("Basic ".count)) })
    }

    @Test func clientSecretPostPutsCredentialsInTheBody() async throws {
        let transport = FakeTransport(script: [json(200, #"{"access_token":"at","token_type":"bearer"}"#)])
        let profile = try profile(auth: "client_secret_post")
        _ = try await client(transport).requestToken(for: profile, endpoints: Endpoints.okta(base: URL(fileURLWithPath: "/"), authServer: "org"))
        let request = try #require(transport.sent.first)
        #expect(!request.headers.contains { $0.name == "Authorization" })
        let form = FormEncoding.decode(String(decoding: request.body ?? Data(), as: UTF8.self))
        #expect(form.contains { $0 == ("client_id", "my client") })
        #expect(form.contains { $0 == ("client_secret", "s3cr3t/+= &%x") })
    }

    @Test func oktaEndpointLayout() throws {
        let base = try #require(URL(string: "https://example.okta.com"))
        #expect(Endpoints.okta(base: base, authServer: "org").token.absoluteString == "https://example.okta.com/oauth2/v1/token")
        #expect(Endpoints.okta(base: base, authServer: "org").issuer?.absoluteString == "https://example.okta.com")
        let custom = Endpoints.okta(base: base, authServer: "aus1")
        #expect(custom.token.absoluteString == "https://example.okta.com/oauth2/aus1/v1/token")
        #expect(custom.issuer?.absoluteString == "https://example.okta.com/oauth2/aus1")
        #expect(custom.jwks?.absoluteString == "https://example.okta.com/oauth2/aus1/v1/keys")
    }
}
