import Foundation

/// Direct Authentication in flight: mfa_tokens from password grants that need a second factor,
/// and the out-of-band challenges started with them. Polls are timed here, as for device codes.
actor MFAStore {
    /// A password grant waiting for its second factor.
    struct Pending: Sendable {
        var serverID: String
        var clientID: String
        var username: String
        var scopes: [String]
        var expiresAt: Int
    }

    /// An out-of-band challenge: a second factor's (with its mfa_token) or a passwordless
    /// sign-in's from `/primary-authenticate` (with the sign-in it starts, `primary`).
    struct Challenge: Sendable {
        /// The second factor's mfa_token; nil for a passwordless sign-in.
        var mfaToken: String?
        /// `/primary-authenticate`: who signs in, for which client; the scopes come with the poll.
        var primary: Pending? = nil
        /// A passwordless sign-in yields tokens once.
        var redeemed = false
        var channel: String
        /// The number to tap (push with a number challenge) or the code sent (sms, voice, email).
        var bindingCode: String?
        var approveAfter: Int?
        var interval: Double
        var status: DeviceStore.Status = .pending
        var polls: [Double] = []
    }

    /// What a poll gets.
    enum PollResult: Sendable {
        case unknown, expired, denied, pending, slowDown, wrongCode
        case approved(Pending)
    }

    private var pending: [String: Pending] = [:]
    private var challenges: [String: Challenge] = [:]
    /// Each user's latest challenge, for the test endpoints.
    private var latest: [String: String] = [:]

    /// Stores `grant` and returns its new mfa_token.
    func start(_ grant: Pending) -> String {
        let token = TokenStore.randomToken()
        let now = Int(Date().timeIntervalSince1970)
        pending = pending.filter { $0.value.expiresAt > now - 600 }
        pending[token] = grant
        return token
    }

    /// The live grant of `mfaToken` for `clientID`, or why there is none.
    func grant(_ mfaToken: String, clientID: String, now: Int) -> Pending? {
        guard let grant = pending[mfaToken], grant.clientID == clientID, grant.expiresAt > now else { return nil }
        return grant
    }

    /// Ends `mfaToken`: it yields tokens once. Its challenges stay readable by the test endpoints.
    func finish(_ mfaToken: String) {
        pending[mfaToken] = nil
    }

    /// Stores `challenge` for the user of its mfa_token; returns the new oob_code.
    func challenge(_ challenge: Challenge, username: String) -> String {
        let code = TokenStore.randomToken()
        challenges[code] = challenge
        latest[username] = code
        return code
    }

    /// One poll at `now` (seconds, fractional), with the code the user typed: mfa-oob with the
    /// challenge's `mfaToken`, or the passwordless oob grant with none.
    func poll(oobCode: String, mfaToken: String?, clientID: String, typed: String?, now: Double) -> PollResult {
        guard var challenge = challenges[oobCode] else { return .unknown }
        let grant: Pending
        if let primary = challenge.primary {
            guard mfaToken == nil, !challenge.redeemed, primary.clientID == clientID else { return .unknown }
            grant = primary
        } else {
            guard let mfaToken, challenge.mfaToken == mfaToken, let live = pending[mfaToken], live.clientID == clientID else { return .unknown }
            grant = live
        }
        guard Double(grant.expiresAt) > now else { return .expired }
        defer { challenges[oobCode] = challenge }
        let previous = challenge.polls.last
        challenge.polls.append(now)
        if challenge.channel != "push" {
            guard let typed, let expected = challenge.bindingCode, AuthorizationServer.sameSecret(expected, typed) else { return .wrongCode }
            return .approved(grant)
        }
        if case .pending = challenge.status, let after = challenge.approveAfter, challenge.polls.count >= after {
            challenge.status = .approved(username: grant.username, authTime: Int(now))
        }
        switch challenge.status {
        case .denied: return .denied
        case .approved: return .approved(grant)
        case .pending:
            if let previous, now - previous < challenge.interval - 0.1 {
                challenge.interval += 5
                return .slowDown
            }
            return .pending
        }
    }

    /// Ends a passwordless sign-in: its oob_code yields tokens once. It stays readable by the test endpoints.
    func redeem(oobCode: String) {
        challenges[oobCode]?.redeemed = true
    }

    /// Test knob: the user's latest push is approved or denied; false when there is none pending.
    func decide(username: String, approve: Bool) -> Bool {
        guard let code = latest[username], var challenge = challenges[code], challenge.channel == "push", challenge.status == .pending else { return false }
        challenge.status = approve ? .approved(username: username, authTime: Int(Date().timeIntervalSince1970)) : .denied
        challenges[code] = challenge
        return true
    }

    /// The user's latest challenge: its channel, the code it sent and the poll times.
    func latestChallenge(username: String) -> Challenge? {
        latest[username].flatMap { challenges[$0] }
    }
}
