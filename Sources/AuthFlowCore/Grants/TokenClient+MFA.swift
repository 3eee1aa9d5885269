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

    /// Push, SMS, voice or email: `/challenge`, then the mfa-oob grant polled at the server's
    /// interval (plus 5 s after each `slow_down`) until approved, refused or expired.
    private func outOfBand(_ mfaToken: Secret, settings: Profile.MFA, spelling: MFAGrant.Spelling, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let url = MFAGrant.sibling("challenge", of: endpoints.token)
        let challengeParameters = MFAGrant.challengeParameters(mfaToken: mfaToken, channel: settings.factor.channel ?? settings.factor.rawValue, spelling: spelling)
        let challengeRequest = try await formRequest(challengeParameters, profile: profile, to: url, extras: false)
        let challenge = try MFAGrant.parseChallenge(try await transport.send(challengeRequest), from: url, secrets: challengeRequest.secrets)
        interaction.show(MFAGrant.instructions(challenge, factor: settings.factor, emphasis: interaction.emphasis))
        var typed: Secret?
        if challenge.bindingMethod == "prompt" || settings.factor.sendsCode {
            typed = try await resolver.resolve(settings.code, field: "grant.mfa.code")
        }
        let deadline = now().addingTimeInterval(challenge.expiresIn)
        // A typed code is checked at once; a push is worth a poll only after the first interval.
        let (poll, response, answer) = try await pollTokenEndpoint(
            every: challenge.interval, until: deadline, waitFirst: typed == nil, reason: "waiting for the second factor to be approved",
            expired: Self.mfaExpired(after: challenge.expiresIn)) {
            try await formRequest(MFAGrant.oobParameters(mfaToken: mfaToken, challenge: challenge, typedCode: typed, spelling: spelling),
                                  profile: profile, to: endpoints.token, extras: false)
        }
        if answer == .error("expired_token") { throw Self.mfaExpired(after: challenge.expiresIn) }
        let token = try refusedWithHint { try TokenResponseParser.parse(response, from: endpoints.token, secrets: poll.secrets, now: now()) }
        interaction.show(settings.factor == .push ? "Approved. Signed in.\n" : "Code accepted. Signed in.\n")
        return token
    }

    /// One mfa-otp request.
    private func mfaRequest(_ parameters: GrantParameters, profile: Profile, endpoints: Endpoints) async throws -> TokenSet {
        let request = try await formRequest(parameters, profile: profile, to: endpoints.token, extras: false)
        let response = try await transport.send(request)
        return try refusedWithHint { try TokenResponseParser.parse(response, from: endpoints.token, secrets: request.secrets, now: now()) }
    }

    /// A refusal of the second factor says what to check: the code, or a sign-in that took too long.
    private func refusedWithHint(_ body: () throws -> TokenSet) throws -> TokenSet {
        do {
            return try body()
        } catch let error as AuthFlowError where error.kind == .refused {
            throw AuthFlowError(.refused, error.message.replacingOccurrences(of: "refused the request", with: "refused the second factor"),
                                hint: "check the code (an authenticator's code changes every 30 s), or approve in time; the sign-in must finish before the mfa_token expires (a few minutes)",
                                details: error.details)
        }
    }

    private static func mfaExpired(after seconds: TimeInterval) -> AuthFlowError {
        AuthFlowError(.refused, "the second-factor challenge expired before it was approved (it was valid for \(Int(seconds)) s)",
                      hint: "run the command again and approve the request in time")
    }
}
