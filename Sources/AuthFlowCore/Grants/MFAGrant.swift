public import Foundation

/// Okta Direct Authentication's second factor for the password grant: the `mfa_token` of a
/// `403 mfa_required` answer, redeemed with a one-time passcode (mfa-otp) or an out-of-band
/// challenge (mfa-oob: `/challenge`, then polling). Builders and parsers here are pure;
/// `TokenClient` drives the exchange.
public enum MFAGrant {
    /// The grant type spellings a server takes: Okta's URNs where its discovery document lists
    /// them, else Auth0's URIs (which Okta accepts too).
    public struct Spelling: Sendable, Equatable {
        /// The mfa-otp grant type.
        public var otp: String
        /// The mfa-oob grant type.
        public var oob: String

        /// The spelling for a server whose discovery lists `supported` (nil: no document).
        public init(supported: [String]?) {
            let listed = Set(supported ?? [])
            otp = listed.contains(MFAGrantTypes.otp) || !listed.contains(MFAGrantTypes.oktaOTP) ? MFAGrantTypes.otp : MFAGrantTypes.oktaOTP
            oob = listed.contains(MFAGrantTypes.oob) || !listed.contains(MFAGrantTypes.oktaOOB) ? MFAGrantTypes.oob : MFAGrantTypes.oktaOOB
        }
    }

    /// An out-of-band challenge (`/challenge`'s answer).
    public struct Challenge: Sendable {
        /// Redeems the challenge; a credential, never shown.
        public var oobCode: Secret
        /// `push`, `sms`, `voice`, `email`, as the server says.
        public var channel: String
        /// `transfer` (a number to tap), `prompt` (a code to type) or `none`.
        public var bindingMethod: String
        /// The number to tap in Okta Verify, for `transfer`.
        public var bindingCode: Secret?
        /// How long the challenge lives, in seconds.
        public var expiresIn: TimeInterval
        /// Seconds between polls.
        public var interval: TimeInterval
    }

    /// The endpoint next to `token` named `name` (`challenge`, `primary-authenticate`): Okta
    /// keeps them side by side under `.../v1/`.
    public static func sibling(_ name: String, of token: URL) -> URL {
        token.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The mfa-otp token request.
    public static func otpParameters(mfaToken: Secret, otp: Secret, spelling: Spelling) -> GrantParameters {
        GrantParameters(fields: [("grant_type", spelling.otp), ("mfa_token", mfaToken.reveal()), ("otp", otp.reveal())], secrets: [mfaToken, otp],
                        singleUse: "one-time passcode")
    }

    /// The `/challenge` request for `channel`.
    public static func challengeParameters(mfaToken: Secret, channel: String, spelling: Spelling) -> GrantParameters {
        GrantParameters(fields: [("mfa_token", mfaToken.reveal()), ("challenge_types_supported", spelling.oob), ("channel_hint", channel)], secrets: [mfaToken],
                        singleUse: "second-factor challenge")
    }

    /// One mfa-oob poll, with the code the user typed for `binding_method=prompt`.
    public static func oobParameters(mfaToken: Secret, challenge: Challenge, typedCode: Secret?, spelling: Spelling) -> GrantParameters {
        var parameters = GrantParameters(fields: [("grant_type", spelling.oob), ("mfa_token", mfaToken.reveal()), ("oob_code", challenge.oobCode.reveal())],
                                         secrets: [mfaToken, challenge.oobCode] + [challenge.bindingCode].compactMap { $0 },
                                         singleUse: "mfa_token")
        if let typedCode {
            parameters.fields.append(("binding_code", typedCode.reveal()))
            parameters.secrets.append(typedCode)
        }
        return parameters
    }

    /// Parses an answer of `/challenge` or `/primary-authenticate` (`endpoint`), which have the
    /// same members; an error answer is reported as the token endpoint's would be.
    public static func parseChallenge(_ response: TransportResponse, from url: URL, secrets: [Secret], endpoint: String = "challenge") throws -> Challenge {
        let json = try TokenResponseParser.object(response, from: url, secrets: secrets, endpoint: endpoint,
                                                  hint: "check that the authorization server supports Okta's Direct Authentication")
        func missing(_ key: String) -> AuthFlowError {
            AuthFlowError(.protocolError, "the \(endpoint) response has no valid \(key)", hint: "the server is not answering as Okta's /\(endpoint) does")
        }
        guard let oobCode = json["oob_code"]?.string, !oobCode.isEmpty else { throw missing("oob_code") }
        let channel = json["channel"]?.string.map { TokenResponseParser.clean($0, [], limit: 20) } ?? ""
        let method = json["binding_method"]?.string ?? "none"
        var bindingCode: Secret?
        if method == "transfer" {
            // The number is shown on the terminal: short, printable, nothing a server could steer it with.
            guard let code = json["binding_code"]?.string, (1...8).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else {
                throw missing("binding_code")
            }
            bindingCode = Secret(code)
        }
        let expires = json["expires_in"]?.number ?? json["expires_in"]?.string.flatMap(Double.init) ?? 300
        let interval = json["interval"]?.number ?? json["interval"]?.string.flatMap(Double.init) ?? DeviceCodeGrant.defaultInterval
        return Challenge(oobCode: Secret(oobCode), channel: channel, bindingMethod: method, bindingCode: bindingCode,
                         expiresIn: min(max(expires, 1), 3600), interval: min(max(interval, 1), 60))
    }

    /// What the user reads on stderr once the challenge is sent.
    public static func instructions(_ challenge: Challenge, factor: MFAFactor, emphasis: (String) -> String) -> String {
        switch factor {
        case .push:
            if let number = challenge.bindingCode {
                return "Okta Verify sent a push to your phone: tap \(emphasis(number.reveal())) in Okta Verify to approve the sign-in. Waiting...\n"
            }
            return "Okta Verify sent a push to your phone: approve the sign-in there. Waiting...\n"
        case .sms: return "A code was sent to your phone by SMS.\n"
        case .voice: return "A phone call is reading you a code.\n"
        case .email: return "A code was sent to your email address.\n"
        case .otp: return ""
        }
    }
}
