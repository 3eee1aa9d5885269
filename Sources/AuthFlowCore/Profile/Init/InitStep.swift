/// One answer `authflow init` needs: its flag, its question, its default, and how it changes the template.
struct InitStep {
    /// The flag that gives the answer.
    let flag: String
    /// The question on the terminal.
    let question: String
    /// What a good answer looks like.
    let hint: String
    /// Where the flag's value is.
    let answer: KeyPath<InitAnswers, String?>
    /// False when the value may be a secret pasted by mistake: it is never quoted back.
    var quotesValue = true
    /// Whether the step is needed for the template so far.
    var applies: (ProfileTemplate) -> Bool = { _ in true }
    /// The default for the template so far; nil when the answer is required.
    var fallback: (ProfileTemplate) -> String? = { _ in nil }
    /// Puts the answer in the template; returns a problem instead when the answer cannot be used.
    let set: (String, inout ProfileTemplate) -> String?

    /// Applies `answer` and checks the result with the loader; on a problem the template is unchanged.
    func apply(_ answer: String, _ template: inout ProfileTemplate) -> String? {
        var candidate = template
        if let problem = set(answer, &candidate) { return problem }
        if let diagnostic = candidate.problems().first {
            return diagnostic.message + (diagnostic.hint.map { "; \($0)" } ?? "")
        }
        template = candidate
        return nil
    }

    /// The questions, in the order they are asked.
    static var all: [InitStep] {
        [
            InitStep(flag: "--provider", question: """
                Where do tokens come from?
                  okta-org     Okta's org authorization server (tokens for Okta's own APIs)
                  okta-custom  an Okta custom authorization server such as "default" (tokens for your APIs)
                  oidc         any OpenID Connect provider (discovery)
                Provider
                """, hint: "okta-org, okta-custom or oidc", answer: \.provider, fallback: { $0.provider.rawValue }) { value, template in
                    guard let provider = ProfileTemplate.Provider(rawValue: value.lowercased()) else { return "choose okta-org, okta-custom or oidc" }
                    template.provider = provider
                    return nil
                },
            InitStep(flag: "--domain", question: "Okta domain (e.g. dev-123456.okta.com)", hint: "a host such as dev-123456.okta.com",
                     answer: \.domain, applies: { $0.provider != .oidc }) { value, template in template.domain = value; return nil },
            InitStep(flag: "--auth-server", question: "Authorization server id", hint: "default, or an id such as aus1a2b3c4d5e6f7g8h9",
                     answer: \.authServer, applies: { $0.provider == .oktaCustom }, fallback: { _ in "default" }) { value, template in
                         template.authServer = value
                         return nil
                     },
            InitStep(flag: "--issuer", question: "Issuer URL (e.g. https://login.example.com/realms/main)", hint: "the issuer's https:// URL",
                     answer: \.issuer, applies: { $0.provider == .oidc }) { value, template in template.issuer = value; return nil },
            InitStep(flag: "--client-id", question: "Client ID", hint: "the OAuth client id of your app", answer: \.clientID) { value, template in
                guard !value.contains(where: \.isWhitespace) else { return "a client id has no spaces" }
                template.clientID = value
                return nil
            },
            InitStep(flag: "--secret", question: "Client secret, as a reference: env:NAME, file:PATH, keyring:SERVICE/ACCOUNT (the OS keychain; store it with authflow keyring set), prompt, command: [program, args], or none for a public client",
                     hint: "env:NAME, file:PATH, keyring:SERVICE/ACCOUNT, prompt, command: [...], or none", answer: \.secret, quotesValue: false,
                     fallback: { ProfileTemplate.defaultSecret(for: $0.provider) }) { value, template in
                         if value == "none" { template.secret = nil; return nil }
                         guard isReference(value) else { return "not a secret reference (the value itself never goes in the file); write env:NAME, file:PATH, keyring:SERVICE/ACCOUNT, prompt, command: [...], or none" }
                         template.secret = value
                         return nil
                     },
            InitStep(flag: "--grant", question: "Grant (\(ProfileTemplate.grants.joined(separator: ", ")))", hint: ProfileTemplate.grants.joined(separator: ", "),
                     answer: \.grant, fallback: { $0.secret == nil ? GrantType.password.profileName : GrantType.clientCredentials.profileName }) { value, template in
                         guard let grant = GrantType(rawValue: value), ProfileTemplate.grantTypes.contains(grant) else {
                             return "this authflow can use \(ProfileTemplate.grants.joined(separator: ", "))"
                         }
                         template.grant = grant
                         return nil
                     },
            InitStep(flag: "--username", question: "User name", hint: "the user's login, e.g. testuser1@example.com",
                     answer: \.username, applies: { $0.grant.needsUsername }) { value, template in template.username = value; return nil },
            InitStep(flag: "--password", question: "Password, as a reference: prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]", hint: "prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]",
                     answer: \.password, quotesValue: false, applies: { $0.grant == .password }, fallback: { _ in "prompt" }) { value, template in
                         guard isReference(value) else { return "not a secret reference; write prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]" }
                         template.password = value
                         return nil
                     },
            InitStep(flag: "--refresh-token", question: "Refresh token, as a reference: prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]", hint: "prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]",
                     answer: \.refreshToken, quotesValue: false, applies: { $0.grant == .refreshToken }, fallback: { _ in "prompt" }) { value, template in
                         guard isReference(value) else { return "not a secret reference; write prompt, keyring:SERVICE/ACCOUNT, env:NAME, file:PATH or command: [...]" }
                         template.refreshToken = value
                         return nil
                     },
            InitStep(flag: "--scopes", question: "Scopes, space-separated, or none", hint: "e.g. \"openid profile\", or none",
                     answer: \.scopes, fallback: { ProfileTemplate.defaultScopes(for: $0.grant).joined(separator: " ").nonEmpty ?? "none" }) { value, template in
                         template.scopes = value == "none" ? [] : value.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                         return nil
                     },
            InitStep(flag: "--profile", question: "Profile name", hint: "letters, digits, '.', '_' and '-', e.g. dev", answer: \.profileName,
                     fallback: { _ in "dev" }) { value, template in
                         guard ProfileFile.isValidName(value), !value.hasPrefix(".") else { return "names match [A-Za-z0-9][A-Za-z0-9._-]*" }
                         template.profileName = value
                         return nil
                     },
        ]
    }

    /// True for what reads as a secret reference (`command: [...]` included), so a pasted secret is refused.
    static func isReference(_ value: String) -> Bool {
        SecretReference.looksLikeReference(value) || value.hasPrefix("command:")
    }
}

extension GrantType {
    /// True for the grants that name a user in the profile.
    var needsUsername: Bool { keys.contains("username") }
}
