import Foundation

extension TokenClient {
    /// The password grant; when the server answers `mfa_required`, the profile's `grant.mfa`
    /// factor (or the one the user picks on the terminal) continues the sign-in with the
    /// `mfa_token`. The password is sent once; the mfa_token, passcodes and codes are secrets of
    /// their requests and are never cached.
    func passwordToken(_ grant: GrantParameters, mfa: Profile.MFA?, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let request = try await formRequest(grant, profile: profile, to: endpoints.token)
        let response = try await transport.send(request)
        switch try TokenResponseParser.outcome(response, from: endpoints.token, secrets: request.secrets, now: now()) {
        case .token(let token): return token
        case .mfaRequired(let mfaToken):
            let settings = try mfa ?? chooseFactor(profile)
            let spelling = MFAGrant.Spelling(supported: await grantTypesSupported(endpoints))
            if settings.factor == .otp {
                let otp = try await resolver.resolve(settings.otp, field: "grant.mfa.otp")
                return try await mfaRequest(MFAGrant.otpParameters(mfaToken: mfaToken, otp: otp, spelling: spelling), profile: profile, endpoints: endpoints)
            }
            return try await outOfBand(mfaToken, settings: settings, spelling: spelling, profile: profile, endpoints: endpoints)
        }
    }

    /// No `grant.mfa`: ask the user which factor; where nobody can answer, stop after the one
    /// request and say how to configure it.
    private func chooseFactor(_ profile: Profile) throws -> Profile.MFA {
        let question = "The authorization server asks for a second factor. Which one (\(MFAFactor.names.joined(separator: ", ")))? "
        let answer: String
        do {
            answer = try resolver.prompter.choose(question).trimmingCharacters(in: .whitespaces).lowercased()
        } catch is AuthFlowError {
            throw AuthFlowError(.refused, "the authorization server asks for a second factor (mfa_required), profile '\(profile.name)' has no grant.mfa, and there is no terminal to ask which one",
                                hint: "add to the profile's grant: mfa: {factor: push}, or factor: otp with otp: command: [oathtool, --totp, -b, ...] (also sms, voice, email with code:)")
        }
        guard let factor = MFAFactor(rawValue: answer) else {
            throw AuthFlowError(.usage, "'\(answer.sanitizedForTerminal(limit: 40))' is not a second factor authflow knows",
                                hint: "answer one of \(MFAFactor.names.joined(separator: ", ")), or set grant.mfa.factor in the profile")
        }
        return Profile.MFA(factor: factor)
    }

    /// The spelling of the MFA grants a server lists in discovery: asked only once a second
    /// factor is needed, so a plain password grant makes no extra request. Any failure means no list.
    private func grantTypesSupported(_ endpoints: Endpoints) async -> [String]? {
        if let listed = endpoints.grantTypesSupported { return listed }
        guard let issuer = endpoints.issuer else { return nil }
        return (try? await Discovery(transport: transport).discover(issuer: issuer))?.grantTypesSupported
    }

    /// Push, SMS, voice or email: `/challenge`, then the mfa-oob grant polled until approved,
    /// refused or expired.
    private func outOfBand(_ mfaToken: Secret, settings: Profile.MFA, spelling: MFAGrant.Spelling, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let url = MFAGrant.sibling("challenge", of: endpoints.token)
        let challengeParameters = MFAGrant.challengeParameters(mfaToken: mfaToken, channel: settings.factor.channel ?? settings.factor.rawValue, spelling: spelling)
        let challengeRequest = try await formRequest(challengeParameters, profile: profile, to: url, extras: false)
        let challenge = try MFAGrant.parseChallenge(try await transport.send(challengeRequest), from: url, secrets: challengeRequest.secrets)
        return try await awaitOutOfBand(challenge, factor: settings.factor, code: settings.code, field: "grant.mfa.code", refusal: .secondFactor,
                                        profile: profile, endpoints: endpoints, extras: false) { typed in
            MFAGrant.oobParameters(mfaToken: mfaToken, challenge: challenge, typedCode: typed, spelling: spelling)
        }
    }

    /// What a refusal of an out-of-band sign-in or a passcode is called in errors.
    enum Refusal: String {
        case secondFactor = "the second factor"
        case passcode = "the one-time passcode"
        case signIn = "the sign-in"
    }

    /// An out-of-band challenge (from `/challenge` or `/primary-authenticate`) seen through: the
    /// instructions on stderr, the code the user got (`code`, for `binding_method=prompt`), then
    /// the token endpoint polled with `parameters(typedCode)` at the challenge's interval (plus
    /// 5 s after each `slow_down`) until approved, refused or expired. `extras` adds the
    /// profile's scope, audience, resources and params, for a grant's first token request.
    func awaitOutOfBand(_ challenge: MFAGrant.Challenge, factor: MFAFactor, code: SecretReference, field: String, refusal: Refusal,
                        profile: Profile, endpoints: Endpoints, extras: Bool, parameters: (Secret?) -> GrantParameters) async throws -> TokenSet {
        interaction.show(MFAGrant.instructions(challenge, factor: factor, emphasis: interaction.emphasis))
        var typed: Secret?
        if challenge.bindingMethod == "prompt" || factor.sendsCode {
            typed = try await resolver.resolve(code, field: field)
        }
        let deadline = now().addingTimeInterval(challenge.expiresIn)
        let expired = Self.challengeExpired(after: challenge.expiresIn, refusal: refusal)
        // A typed code is checked at once; a push is worth a poll only after the first interval.
        let (poll, response, answer) = try await pollTokenEndpoint(
            every: challenge.interval, until: deadline, waitFirst: typed == nil, reason: "waiting for the sign-in to be approved",
            expired: expired) {
            try await formRequest(parameters(typed), profile: profile, to: endpoints.token, extras: extras)
        }
        if answer == .error("expired_token") { throw expired }
        let token = try refusedWithHint(refusal) { try TokenResponseParser.parse(response, from: endpoints.token, secrets: poll.secrets, now: now()) }
        interaction.show(factor == .push ? "Approved. Signed in.\n" : "Code accepted. Signed in.\n")
        return token
    }

    /// One mfa-otp request.
    private func mfaRequest(_ parameters: GrantParameters, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let request = try await formRequest(parameters, profile: profile, to: endpoints.token, extras: false)
        let response = try await transport.send(request)
        return try refusedWithHint(.secondFactor) { try TokenResponseParser.parse(response, from: endpoints.token, secrets: request.secrets, now: now()) }
    }

    /// A refusal of a factor says what to check: the code, or a sign-in that took too long.
    func refusedWithHint(_ refusal: Refusal, _ body: () throws -> TokenSet) throws -> TokenSet {
        do {
            return try body()
        } catch let error as AuthFlowError where error.kind == .refused {
            var hint = switch refusal {
            case .secondFactor: "check the code (an authenticator's code changes every 30 s), or approve in time; the sign-in must finish before the mfa_token expires (a few minutes)"
            case .passcode: "check the code (an authenticator's code changes every 30 s) and the user name; the user must have the authenticator enrolled"
            case .signIn: "check the code, or approve in time; the sign-in must finish before the server's challenge expires (a few minutes)"
            }
            if refusal != .secondFactor, error.message.contains("refused the request: mfa_required") {
                // The sign-on policy wants a factor after this one, which these grants do not go on to.
                hint = "Okta's sign-on policy asks for a second factor after this one: use grant type password with grant.mfa, or a policy that lets this factor sign in alone"
            }
            throw AuthFlowError(.refused, error.message.replacingOccurrences(of: "refused the request", with: "refused \(refusal.rawValue)"), hint: hint, details: error.details)
        }
    }

    private static func challengeExpired(after seconds: TimeInterval, refusal: Refusal) -> AuthFlowError {
        let what = refusal == .secondFactor ? "the second-factor challenge" : "the sign-in challenge"
        return AuthFlowError(.refused, "\(what) expired before it was approved (it was valid for \(Int(seconds)) s)",
                             hint: "run the command again and approve the request in time")
    }
}
