import AuthFlowCore
import Foundation
import Testing

/// The grants whose token request carries a credential the server accepts once: the request is
/// marked, so the retrying transport never sends it again after an answer was lost.
@Suite struct SingleUseGrantTests {
    static let lost = AuthFlowError(.unavailable, "no answer from the token endpoint: the server closed the connection", mayHaveReachedServer: true)

    func profile(_ grant: String) throws -> Profile {
        let text = """
            version: 1
            profiles:
              p:
                domain: http://127.0.0.1:1
                auth_server: default
                client: {id: cli}
                grant: \(grant)
                scopes: [openid]
            """
        return try ProfileText.profile(text)
    }

    /// A client whose transport retries twice without waiting.
    func client(_ transport: FakeTransport) -> TokenClient {
        var client = TokenClient(transport: RetryingTransport(base: transport, retries: 2, sleep: { _ in }),
                                 resolver: SecretResolver(environment: [:], baseDirectory: "/tmp"))
        client.sleep = { _ in }
        return client
    }

    @Test func theGrantsMarkTheirSingleUseCredentials() {
        #expect(RefreshTokenGrant.parameters(refreshToken: Secret("r")).singleUse == "refresh token")
        #expect(DeviceCodeGrant.parameters(deviceCode: Secret("d")).singleUse == "device code")
        #expect(PasswordGrant.parameters(username: "u", password: Secret("p")).singleUse == nil)
        #expect(ClientCredentialsGrant.parameters().singleUse == nil)
    }

    @Test func aDevicePollWhoseAnswerWasLostEndsTheSignIn() async throws {
        let authorization = #"{"device_code":"DC","user_code":"ABCD-EFGH","verification_uri":"http://127.0.0.1:1/activate","expires_in":600,"interval":1}"#
        let transport = FakeTransport { request in
            if request.url.path.hasSuffix("/device/authorize") { return TransportResponse(status: 200, body: Data(authorization.utf8)) }
            throw Self.lost
        }
        let profile = try profile("device_code")
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        let error = await #expect(throws: AuthFlowError.self) { try await client(transport).requestToken(for: profile, endpoints: endpoints) }
        #expect(error?.message.contains("after the device code was sent") == true, "\(String(describing: error))")
        #expect(transport.sent.map(\.url.lastPathComponent) == ["authorize", "token"], "one poll, not resent")
        #expect(transport.sent.last?.singleUse == "device code")
    }

    @Test func anAuthorizationCodeWhoseAnswerWasLostIsNotExchangedAgain() async throws {
        let transport = FakeTransport { _ in throw Self.lost }
        var client = client(transport)
        // The "browser": signs in at once and comes back to the loopback redirect with a code.
        client.interaction = Interaction(show: { _ in }, openBrowser: { url in
            let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let value = { (name: String) in query.first { $0.name == name }?.value ?? "" }
            guard var back = URLComponents(string: value("redirect_uri")) else { return }
            back.queryItems = [URLQueryItem(name: "code", value: "THE-CODE"), URLQueryItem(name: "state", value: value("state"))]
            Task {
                let browser = try AsyncHTTPTransport(options: AsyncHTTPTransport.Options())
                if let url = back.url { _ = try? await browser.send(.init(method: "GET", url: url)) }
                await browser.shutdown()
            }
        })
        let profile = try profile("authorization_code")
        let endpoints = try await Discovery(transport: transport).endpoints(for: profile.source)
        let error = await #expect(throws: AuthFlowError.self) { try await client.requestToken(for: profile, endpoints: endpoints) }
        #expect(error?.message.contains("after the authorization code was sent") == true, "\(String(describing: error))")
        #expect(transport.sent.count == 1, "the code was sent once")
        let form = FormEncoding.decode(String(decoding: transport.sent.first?.body ?? Data(), as: UTF8.self))
        #expect(form.contains { $0 == ("code", "THE-CODE") })
    }
}
