import Foundation

extension TokenClient {
    /// RFC 8628: asks for a user code, shows it, then polls at `interval` (plus 5 s after each
    /// `slow_down`) until the user approves, denies or the code expires. Each poll is a fresh
    /// request, so a client assertion gets a new `jti` every time.
    func deviceCodeToken(for profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        guard let url = endpoints.deviceAuthorization else {
            throw AuthFlowError(.protocolError, "the authorization server of profile '\(profile.name)' names no device authorization endpoint",
                                hint: "use domain (Okta: .../v1/device/authorize) or an issuer whose discovery document has device_authorization_endpoint")
        }
        let scope: [(name: String, value: String)] = profile.request.scopes.isEmpty ? [] : [("scope", profile.request.scopes.joined(separator: " "))]
        let request = try await formRequest(GrantParameters(fields: scope), profile: profile, to: url, extras: false)
        let authorization = try DeviceCodeGrant.parseAuthorization(try await transport.send(request), from: url, secrets: request.secrets)
        interaction.show(DeviceCodeGrant.instructions(authorization, emphasis: interaction.emphasis))
        if interaction.browser == true {
            interaction.openBrowser(authorization.verificationURIComplete ?? authorization.verificationURI)
        }
        let host = authorization.verificationURI.host ?? "the verification page"
        let deadline = now().addingTimeInterval(authorization.expiresIn)
        let (poll, response, answer) = try await pollTokenEndpoint(every: authorization.interval, until: deadline, reason: "waiting for approval at \(host)",
                                                                   expired: Self.expired(after: authorization.expiresIn)) {
            try await formRequest(DeviceCodeGrant.parameters(deviceCode: authorization.deviceCode), profile: profile, to: endpoints.token, extras: false)
        }
        switch answer {
        case .error("access_denied"):
            throw AuthFlowError(.refused, "the sign-in at \(host) was denied", hint: "run the command again and approve the request, or ask an administrator about the access policy")
        case .error("expired_token"):
            throw Self.expired(after: authorization.expiresIn)
        default:
            let token = try TokenResponseParser.parse(response, from: endpoints.token, secrets: poll.secrets, now: now())
            interaction.show("Approved. Signed in.\n")
            return token
        }
    }

    private static func expired(after seconds: TimeInterval) -> AuthFlowError {
        AuthFlowError(.refused, "the device code expired before the sign-in was approved (it was valid for \(Int(seconds)) s)",
                      hint: "run the command again and approve the request in time")
    }
}
