extension Profile {
    /// Every secret reference the profile names: client secret and keys (JWT and TLS), and the grant's secrets.
    public var secretReferences: [SecretReference] {
        var references = [client.secret, client.privateKey, connection.clientCertificate?.key].compactMap { $0 }
        switch grant {
        case .password(let username, let password, let mfa):
            if case .secret(let reference) = username { references.append(reference) }
            references.append(password)
            // Only the reference the factor uses: a push profile never reads grant.mfa.otp.
            if let mfa, mfa.factor == .otp { references.append(mfa.otp) }
            if let mfa, mfa.factor.sendsCode { references.append(mfa.code) }
        case .refreshToken(let reference):
            references.append(reference)
        case .tokenExchange(let subject, _, let actor, _):
            references.append(subject)
            if let actor { references.append(actor) }
        case .jwtBearer(let assertion):
            if let assertion { references.append(assertion) }
        case .oktaOTP(let username, let otp):
            if case .secret(let reference) = username { references.append(reference) }
            references.append(otp)
        case .oktaOOB(let username, let channel, let code):
            if case .secret(let reference) = username { references.append(reference) }
            if channel.sendsCode { references.append(code) }
        case .clientCredentials, .deviceCode, .authorizationCode:
            break
        }
        return references
    }

    /// The environment variables the profile reads secrets from (`env:NAME`), which an `exec`
    /// child must not inherit: it gets the token, not what the token was made from.
    public var secretVariables: Set<String> {
        Set(secretReferences.compactMap { reference in
            if case .env(let name) = reference { return name }
            return nil
        })
    }
}
