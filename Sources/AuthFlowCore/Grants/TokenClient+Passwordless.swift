import Foundation

extension TokenClient {
    /// `okta_otp`: one token request with the user and the passcode, and the profile's scope,
    /// audience, resources and params, as any grant's token request has.
    func oktaOTPToken(username: Profile.Username, otp: SecretReference, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let loginHint = try await resolvedUsername(username)
        let passcode = try await resolver.resolve(otp, field: "grant.otp")
        let request = try await formRequest(OktaPasswordlessGrant.otpParameters(loginHint: loginHint, otp: passcode), profile: profile, to: endpoints.token)
        let response = try await transport.send(request)
        return try refusedWithHint(.passcode) { try TokenResponseParser.parse(response, from: endpoints.token, secrets: request.secrets, now: now()) }
    }

    /// `okta_oob`: `/primary-authenticate` names the user and the channel and answers with an
    /// out-of-band challenge, which is then seen through like a second factor's; the polls are the
    /// grant's token requests, so they carry the profile's scope, audience, resources and params.
    func oktaOOBToken(username: Profile.Username, channel: MFAFactor, code: SecretReference, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let loginHint = try await resolvedUsername(username)
        let url = MFAGrant.sibling("primary-authenticate", of: endpoints.token)
        let start = OktaPasswordlessGrant.primaryAuthenticateParameters(loginHint: loginHint, channel: channel.channel ?? channel.profileName)
        let request = try await formRequest(start, profile: profile, to: url, extras: false)
        let challenge = try MFAGrant.parseChallenge(try await transport.send(request), from: url, secrets: request.secrets, endpoint: "primary-authenticate")
        return try await awaitOutOfBand(challenge, factor: channel, code: code, field: "grant.code", refusal: .signIn,
                                        profile: profile, endpoints: endpoints, extras: true) { typed in
            OktaPasswordlessGrant.oobParameters(challenge: challenge, typedCode: typed)
        }
    }
}
