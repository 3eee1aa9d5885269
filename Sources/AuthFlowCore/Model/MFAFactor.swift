/// The second factors authflow answers Okta's `mfa_required` with (Direct Authentication): one
/// place for their profile names, the `channel_hint` they send and whether they need a code.
public enum MFAFactor: String, Sendable, Hashable, CaseIterable {
    /// A code from an authenticator app (TOTP), sent with the mfa-otp grant.
    case otp
    /// Okta Verify push, approved on the phone; polled, possibly with a number challenge.
    case push
    /// A code sent by SMS.
    case sms
    /// A code read out by a phone call.
    case voice
    /// A code sent by email.
    case email

    /// The name in profile files (`grant.mfa.factor`).
    public var profileName: String { rawValue }

    /// The `channel_hint` of its `/challenge` request; nil for `otp`, which needs no challenge.
    public var channel: String? { self == .otp ? nil : rawValue }

    /// True for factors whose code the user reads from a message and types (`grant.mfa.code`).
    public var sendsCode: Bool { self == .sms || self == .voice || self == .email }

    /// The profile names, for hints and the schema.
    public static let names = allCases.map(\.profileName)

    /// The out-of-band factors (all but `otp`): the channels of `/challenge` and `/primary-authenticate`.
    public static let channels = allCases.filter { $0.channel != nil }
}

/// The `grant_type` spellings of the Direct Authentication MFA grants: Auth0's URIs, which Okta
/// accepts, and Okta's newer URNs.
public enum MFAGrantTypes {
    /// The one-time passcode grant, Auth0 spelling.
    public static let otp = "http://auth0.com/oauth/grant-type/mfa-otp"
    /// The out-of-band grant, Auth0 spelling.
    public static let oob = "http://auth0.com/oauth/grant-type/mfa-oob"
    /// The one-time passcode grant, Okta spelling.
    public static let oktaOTP = "urn:okta:params:oauth:grant-type:mfa-otp"
    /// The out-of-band grant, Okta spelling.
    public static let oktaOOB = "urn:okta:params:oauth:grant-type:mfa-oob"
    /// Every spelling of both.
    public static let all = [otp, oob, oktaOTP, oktaOOB]
}
