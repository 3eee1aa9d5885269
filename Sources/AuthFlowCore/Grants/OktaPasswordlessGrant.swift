/// Okta Direct Authentication with a passwordless primary factor: the user is named by
/// `login_hint` and proves themselves with a one-time passcode (`okta_otp`) or an out-of-band
/// factor started at `/primary-authenticate` and then polled (`okta_oob`). Builders here are
/// pure; `TokenClient` drives the exchange, with the polling the MFA out-of-band factors use.
public enum OktaPasswordlessGrant {
    /// The otp grant's token request.
    public static func otpParameters(loginHint: String, otp: Secret) -> GrantParameters {
        GrantParameters(fields: [("grant_type", GrantType.oktaOTP.wireName), ("login_hint", loginHint), ("otp", otp.reveal())], secrets: [otp])
    }

    /// The `/primary-authenticate` request that starts an out-of-band sign-in on `channel`.
    public static func primaryAuthenticateParameters(loginHint: String, channel: String) -> GrantParameters {
        GrantParameters(fields: [("login_hint", loginHint), ("channel_hint", channel), ("challenge_hint", GrantType.oktaOOB.wireName)])
    }

    /// One oob poll, with the code the user typed for `binding_method=prompt`.
    public static func oobParameters(challenge: MFAGrant.Challenge, typedCode: Secret?) -> GrantParameters {
        var parameters = GrantParameters(fields: [("grant_type", GrantType.oktaOOB.wireName), ("oob_code", challenge.oobCode.reveal())],
                                         secrets: [challenge.oobCode] + [challenge.bindingCode].compactMap { $0 })
        if let typedCode {
            parameters.fields.append(("binding_code", typedCode.reveal()))
            parameters.secrets.append(typedCode)
        }
        return parameters
    }
}
