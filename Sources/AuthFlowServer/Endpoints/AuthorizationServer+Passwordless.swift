import AuthFlowCore
import Foundation

/// Okta Direct Authentication without a password: a user with enrolled factors signs in with an
/// authenticator app's code (the otp grant) or an out-of-band factor started at
/// `/primary-authenticate` and then polled (the oob grant). The client must be allowed the grant.
extension AuthorizationServer {
    /// `POST .../v1/primary-authenticate`: starts a passwordless out-of-band sign-in for `login_hint` on `channel_hint`.
    func primaryAuthenticate(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        let form = try request.form()
        let client = try await authenticateClient(request, form: form)
        guard client.settings.grantTypes.contains(.oktaOOB) else {
            throw OAuthError.unauthorizedClient("The client is not authorized to use the provided grant type. Configured grant types: [\(client.settings.grantTypes.map(\.rawValue).sorted().joined(separator: ", "))].")
        }
        guard let loginHint = form["login_hint"], let channel = form["channel_hint"] else {
            throw OAuthError.invalidRequest("The 'login_hint' and 'channel_hint' parameters are required.")
        }
        guard form["challenge_hint"] == GrantType.oktaOOB.wireName else {
            throw OAuthError.invalidRequest("The 'challenge_hint' parameter must be \(GrantType.oktaOOB.wireName).")
        }
        // An unknown user is told what a user without that authenticator is told.
        guard let user = users[loginHint] else {
            throw OAuthError(status: 400, code: "unsupported_challenge_type", description: "The user has no authenticator enrolled for the channel '\(channel.prefix(20))'.")
        }
        let signIn = MFAStore.Pending(serverID: issuer.id, clientID: client.settings.id, username: loginHint, scopes: [],
                                      expiresAt: Self.now() + issuer.settings.mfaTokenLifetime)
        var challenge = MFAStore.Challenge(mfaToken: nil, channel: channel, interval: Double(issuer.settings.mfaInterval))
        challenge.primary = signIn
        return .json(.object(try await outOfBandChallenge(challenge, for: user, at: issuer)), noStore: true)
    }

    /// The otp grant: `login_hint` and an authenticator app's current code.
    func passwordlessOTPGrant(_ form: [String: String], client: Client, at issuer: Issuer) throws -> Authorization {
        guard let loginHint = form["login_hint"], let otp = form["otp"] else {
            throw OAuthError.invalidRequest("The 'login_hint' and 'otp' parameters are required.")
        }
        let scopes = try requestedScopes(form, at: issuer)
        guard let user = users[loginHint], let secret = user.totp, TOTP.accepts(otp, secret: secret, time: Self.now()) else {
            throw OAuthError.invalidGrant("Your passcode doesn't match our records. Please try again.")
        }
        try checkOfflineAccess(scopes, client: client)
        return Authorization(client: client, user: user, scopes: scopes, authTime: Self.now())
    }

    /// The oob grant: one poll of a sign-in `/primary-authenticate` started for this client.
    func passwordlessOOBGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let oobCode = form["oob_code"] else { throw OAuthError.invalidRequest("The 'oob_code' parameter is required.") }
        let scopes = try requestedScopes(form, at: issuer)
        let result = await mfa.poll(oobCode: oobCode, mfaToken: nil, clientID: client.settings.id, typed: form["binding_code"], now: Date().timeIntervalSince1970)
        try checkPoll(result)
        guard case .approved(let signIn) = result, signIn.serverID == issuer.id, let user = users[signIn.username] else {
            throw OAuthError.invalidGrant("The oob_code is invalid.")
        }
        try checkOfflineAccess(scopes, client: client)
        await mfa.redeem(oobCode: oobCode)
        return Authorization(client: client, user: user, scopes: scopes, authTime: Self.now())
    }
}
