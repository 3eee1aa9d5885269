import AuthFlowCore
import Foundation

extension AuthorizationServer {
    /// The MFA grant types this server takes and lists in discovery: Okta's newer spelling.
    static let mfaGrantTypes = [MFAGrantTypes.oktaOTP, MFAGrantTypes.oktaOOB]

    /// The password was right and the user has second factors: `403 mfa_required` with a fresh mfa_token, as Okta answers.
    func requireSecondFactor(_ user: User, client: Client, scopes: [String], at issuer: Issuer) async -> OAuthError {
        let grant = MFAStore.Pending(serverID: issuer.id, clientID: client.settings.id, username: user.settings.username, scopes: scopes,
                                     expiresAt: Self.now() + issuer.settings.mfaTokenLifetime)
        let token = await mfa.start(grant)
        var error = OAuthError(status: 403, code: "mfa_required", description: "Multifactor authentication required.")
        error.extra = ["mfa_token": .string(token)]
        return error
    }

    /// The live grant behind the request's `mfa_token`.
    private func mfaGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> (token: String, grant: MFAStore.Pending, user: User) {
        guard let token = form["mfa_token"] else { throw OAuthError.invalidRequest("The 'mfa_token' parameter is required.") }
        guard let grant = await mfa.grant(token, clientID: client.settings.id, now: Self.now()), grant.serverID == issuer.id, let user = users[grant.username] else {
            throw OAuthError.invalidGrant("The mfa_token is invalid or has expired.")
        }
        return (token, grant, user)
    }

    /// `POST .../v1/challenge`: starts an out-of-band factor (push, sms, voice, email) for an mfa_token.
    func challenge(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        let form = try request.form()
        let client = try await authenticateClient(request, form: form)
        let (token, _, user) = try await mfaGrant(form, client: client, at: issuer)
        let types = (form["challenge_types_supported"] ?? "").split(separator: " ").map(String.init)
        guard types.contains(MFAGrantTypes.oktaOOB) else {
            throw OAuthError.invalidRequest("The 'challenge_types_supported' parameter must include \(MFAGrantTypes.oktaOOB).")
        }
        var answer = try await outOfBandChallenge(MFAStore.Challenge(mfaToken: token, channel: form["channel_hint"] ?? "", interval: Double(issuer.settings.mfaInterval)),
                                                  for: user, at: issuer)
        answer["challenge_type"] = .string(MFAGrantTypes.oktaOOB)
        return .json(.object(answer), noStore: true)
    }

    /// Starts `challenge` on its channel for `user` (a push, with or without a number to tap, or a
    /// code sent) and answers as Okta does: `oob_code`, `channel`, `binding_method`,
    /// `binding_code` for a number challenge, `expires_in`, `interval`.
    func outOfBandChallenge(_ challenge: MFAStore.Challenge, for user: User, at issuer: Issuer) async throws -> [String: JSONValue] {
        var challenge = challenge
        let channel = challenge.channel
        let enrolled = user.settings.mfa
        var answer: [String: JSONValue] = ["channel": .string(channel), "expires_in": .number(Double(issuer.settings.mfaTokenLifetime)),
                                           "interval": .number(Double(issuer.settings.mfaInterval))]
        if channel == "push", let push = enrolled?.push {
            challenge.approveAfter = push.approveAfter
            if push.numberChallenge {
                challenge.bindingCode = String(Int.random(in: 10...99))
                answer["binding_method"] = .string("transfer")
                answer["binding_code"] = challenge.bindingCode.map(JSONValue.string)
            } else {
                answer["binding_method"] = .string("none")
            }
        } else if enrolled?.codeChannels.contains(channel) == true {
            challenge.bindingCode = String(format: "%06d", Int.random(in: 0...999_999))
            answer["binding_method"] = .string("prompt")
        } else {
            throw OAuthError(status: 400, code: "unsupported_challenge_type", description: "The user has no authenticator enrolled for the channel '\(channel.prefix(20))'.")
        }
        answer["oob_code"] = .string(await mfa.challenge(challenge, username: user.settings.username))
        return answer
    }

    /// An out-of-band poll's answer: nothing when approved, else the error Okta answers with.
    func checkPoll(_ result: MFAStore.PollResult) throws {
        switch result {
        case .unknown: throw OAuthError.invalidGrant("The oob_code is invalid.")
        case .expired: throw OAuthError.invalidGrant("The mfa_token is invalid or has expired.")
        case .wrongCode: throw OAuthError.invalidGrant("Your passcode doesn't match our records. Please try again.")
        case .denied: throw OAuthError(status: 400, code: "access_denied", description: "The user rejected the push notification.")
        case .pending: throw OAuthError(status: 400, code: "authorization_pending", description: "No user response received on the out-of-band authenticator yet.")
        case .slowDown: throw OAuthError(status: 400, code: "slow_down", description: "The client is polling too often; slow down.")
        case .approved: break
        }
    }

    /// The mfa-otp and mfa-oob token requests.
    func mfaTokenGrant(_ form: [String: String], grantType: String, client: Client, at issuer: Issuer) async throws -> Authorization {
        guard client.settings.grantTypes.contains(.password) else {
            throw OAuthError.unauthorizedClient("The client is not authorized to use the provided grant type. Configured grant types: [\(client.settings.grantTypes.map(\.rawValue).sorted().joined(separator: ", "))].")
        }
        let (token, grant, user) = try await mfaGrant(form, client: client, at: issuer)
        if grantType == MFAGrantTypes.oktaOTP {
            guard let otp = form["otp"] else { throw OAuthError.invalidRequest("The 'otp' parameter is required.") }
            guard let secret = user.totp, TOTP.accepts(otp, secret: secret, time: Self.now()) else {
                throw OAuthError.invalidGrant("Your passcode doesn't match our records. Please try again.")
            }
        } else {
            guard let oobCode = form["oob_code"] else { throw OAuthError.invalidRequest("The 'oob_code' parameter is required.") }
            try checkPoll(await mfa.poll(oobCode: oobCode, mfaToken: token, clientID: client.settings.id, typed: form["binding_code"], now: Date().timeIntervalSince1970))
        }
        await mfa.finish(token)
        return Authorization(client: client, user: user, scopes: grant.scopes, authTime: Self.now())
    }

    /// Test-only: approve or deny a user's push, read the code a channel sent and the poll times.
    func mfaTestEndpoint(_ request: EndpointRequest) async -> EndpointResponse {
        let form = Dictionary(FormEncoding.decode(request.method == "GET" ? request.query : request.body).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let username = form["username"] ?? ""
        if request.path == "/__authflow/mfa/approve" {
            let done = await mfa.decide(username: username, approve: form["action"] != "deny")
            return .json(.object(["ok": .bool(done)]), status: done ? 200 : 404)
        }
        guard let challenge = await mfa.latestChallenge(username: username) else { return .json(.object(["ok": .bool(false)]), status: 404) }
        return .json(.object(["channel": .string(challenge.channel), "code": challenge.bindingCode.map(JSONValue.string) ?? .null,
                              "polls": .array(challenge.polls.map(JSONValue.number))]))
    }
}
