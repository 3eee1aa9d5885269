import Foundation

/// Device authorizations in flight (RFC 8628), by device code, with the user code pointing at
/// them. Polls are timed here: a client polling faster than `interval` gets `slow_down`.
actor DeviceStore {
    enum Status: Sendable, Equatable {
        case pending
        case approved(username: String, authTime: Int)
        case denied
    }

    struct Pending: Sendable {
        var serverID: String
        var clientID: String
        var scopes: [String]
        var userCode: String
        var expiresAt: Int
        var interval: Double
        var status: Status = .pending
        var lastPoll: Double?
        /// Seconds since 1970 of every poll, for the tests' `GET /__authflow/device/polls`.
        var polls: [Double] = []
        /// Test knob: answer the next poll with `slow_down`.
        var forceSlowDown = false
    }

    /// What a poll gets.
    enum PollResult: Sendable {
        case unknown, expired, denied, pending, slowDown
        case approved(Pending, username: String, authTime: Int)
    }

    private var byDeviceCode: [String: Pending] = [:]
    private var deviceCodeByUserCode: [String: String] = [:]

    /// Stores `pending` and returns its new device code.
    func start(_ pending: Pending) -> String {
        let code = TokenStore.randomToken()
        byDeviceCode = byDeviceCode.filter { $0.value.expiresAt > Int(Date().timeIntervalSince1970) - 600 }
        byDeviceCode[code] = pending
        deviceCodeByUserCode[pending.userCode] = code
        return code
    }

    /// True when `userCode` is in use by a live authorization.
    func isTaken(_ userCode: String) -> Bool { deviceCodeByUserCode[userCode] != nil }

    /// The pending authorization of `userCode`, when it is live and undecided.
    func pending(userCode: String, now: Int) -> Pending? {
        guard let code = deviceCodeByUserCode[Self.normalized(userCode)], let pending = byDeviceCode[code],
              pending.expiresAt > now, pending.status == .pending else { return nil }
        return pending
    }

    /// Records the user's decision; false when the code is unknown, expired or decided.
    func decide(userCode: String, _ status: Status, now: Int) -> Bool {
        guard pending(userCode: userCode, now: now) != nil, let code = deviceCodeByUserCode[Self.normalized(userCode)] else { return false }
        byDeviceCode[code]?.status = status
        return true
    }

    /// One poll of `deviceCode` by `clientID` at `now` (seconds, fractional).
    func poll(_ deviceCode: String, clientID: String, now: Double) -> PollResult {
        guard var pending = byDeviceCode[deviceCode], pending.clientID == clientID else { return .unknown }
        defer { byDeviceCode[deviceCode] = pending }
        pending.polls.append(now)
        let previous = pending.lastPoll
        pending.lastPoll = now
        guard Double(pending.expiresAt) > now else { return .expired }
        switch pending.status {
        case .denied:
            byDeviceCode[deviceCode] = nil
            return .denied
        case .approved(let username, let authTime):
            // The device code works once.
            pending.expiresAt = 0
            return .approved(pending, username: username, authTime: authTime)
        case .pending:
            // RFC 8628 §3.5: polling faster than the interval earns slow_down and a longer interval.
            let tooFast = previous.map { now - $0 < pending.interval - 0.1 } ?? false
            if pending.forceSlowDown || tooFast {
                pending.forceSlowDown = false
                pending.interval += 5
                return .slowDown
            }
            return .pending
        }
    }

    /// Test knob: the next poll of `userCode` is answered `slow_down`.
    func forceSlowDown(userCode: String) -> Bool {
        guard let code = deviceCodeByUserCode[Self.normalized(userCode)], byDeviceCode[code] != nil else { return false }
        byDeviceCode[code]?.forceSlowDown = true
        return true
    }

    /// The poll times of `userCode`'s authorization.
    func polls(userCode: String) -> [Double]? {
        deviceCodeByUserCode[Self.normalized(userCode)].flatMap { byDeviceCode[$0]?.polls }
    }

    /// A new user code: 8 letters without vowels or look-alikes, shown as `BCDF-GHJK`.
    static func newUserCode() -> String {
        let letters = Array("BCDFGHJKLMNPQRSTVWXZ")
        var generator = SystemRandomNumberGenerator()
        let code = String((0..<8).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
        return code.prefix(4) + "-" + code.suffix(4)
    }

    /// Users type codes loosely: upper case, and the dash optional.
    static func normalized(_ userCode: String) -> String {
        let letters = userCode.uppercased().filter { $0.isLetter }
        return letters.count == 8 ? letters.prefix(4) + "-" + letters.suffix(4) : userCode
    }
}
