/// Asks the user one question at a time; the real one reads and writes the terminal.
public protocol InitQuestioner {
    /// Shows `question` and returns the answer (trimmed); throws when no one can answer.
    mutating func ask(_ question: String) throws -> String
    /// Shows one line: what was wrong with the last answer.
    mutating func tell(_ line: String) throws
}

/// What `authflow init` was told on the command line; nil where a flag was not given.
public struct InitAnswers: Sendable {
    /// `okta-org`, `okta-custom` or `oidc`; inferred from `--issuer` or `--auth-server` when absent.
    public var provider: String?
    /// Okta domain.
    public var domain: String?
    /// Okta custom authorization server id.
    public var authServer: String?
    /// OIDC issuer URL.
    public var issuer: String?
    /// OAuth client id.
    public var clientID: String?
    /// The client secret's reference, or `none` for a public client.
    public var secret: String?
    /// The grant type.
    public var grant: String?
    /// password grant: the user name.
    public var username: String?
    /// password grant: the password's reference.
    public var password: String?
    /// refresh_token grant: the refresh token's reference.
    public var refreshToken: String?
    /// Scopes, space- or comma-separated; `none` for none.
    public var scopes: String?
    /// The profile's name.
    public var profileName: String?

    /// No answers yet.
    public init() {}
}

/// Turns answers (flags, then questions for the rest) into a `ProfileTemplate`, checking every answer
/// as it comes: each is tried in a template whose other values are known to be valid, so whatever the
/// loader finds is about that answer.
public struct InitInterview: Sendable {
    /// The answers from flags.
    public var answers: InitAnswers
    /// The schema the modeline names.
    public var schemaURL = ProfileSchema.schemaURL

    /// An interview starting from `answers`.
    public init(answers: InitAnswers) {
        self.answers = answers
    }

    /// The flags without a default that are missing: with none missing, `init` asks nothing.
    public var missingFlags: [String] {
        let provider = inferredProvider
        var missing: [String] = []
        if provider == .oidc ? answers.issuer == nil : answers.domain == nil { missing.append(provider == .oidc ? "--issuer" : "--domain") }
        if answers.clientID == nil { missing.append("--client-id") }
        if answers.grant.flatMap(GrantType.init(rawValue:))?.needsUsername == true, answers.username == nil { missing.append("--username") }
        return missing
    }

    /// The template from the flags alone; a usage error names the first missing or wrong one.
    public func template() throws -> ProfileTemplate {
        var questioner = NoQuestions()
        return try template(asking: &questioner)
    }

    /// The template, asking `questioner` for every answer no flag gave.
    public func template(asking questioner: inout some InitQuestioner) throws -> ProfileTemplate {
        var template = ProfileTemplate(provider: inferredProvider)
        template.schemaURL = schemaURL
        // Valid stand-ins, replaced by the required answers below.
        (template.domain, template.issuer, template.clientID, template.username) = ("example.okta.com", "https://idp.example.com", "client", "user")
        for step in InitStep.all {
            guard step.applies(template) else { continue }
            if let given = answers[keyPath: step.answer] {
                if let problem = step.apply(given, &template) {
                    throw AuthFlowError(.usage, "\(step.flag)\(step.quotesValue ? " '\(given)'" : ""): \(problem)", hint: step.hint)
                }
                continue
            }
            let fallback = step.fallback(template)
            if questioner is NoQuestions {
                guard let fallback else { throw AuthFlowError(.usage, "\(step.flag) is missing", hint: "pass \(missingFlags.joined(separator: ", ")), or run authflow init on a terminal to be asked") }
                if let problem = step.apply(fallback, &template) { throw AuthFlowError(.internalError, "\(step.flag): the default is invalid: \(problem)") }
                continue
            }
            var attempts = 0
            while true {
                let typed = try questioner.ask(step.question + (fallback.map { " [\($0)]" } ?? "") + ": ")
                guard let answer = typed.isEmpty ? fallback : typed else {
                    try questioner.tell("  an answer is needed (\(step.hint))")
                    continue
                }
                guard let problem = step.apply(answer, &template) else { break }
                attempts += 1
                guard attempts < 5 else { throw AuthFlowError(.usage, "\(step.flag): \(problem)", hint: step.hint) }
                try questioner.tell("  \(problem)")
            }
        }
        return template
    }

    private var inferredProvider: ProfileTemplate.Provider {
        if let named = answers.provider.flatMap(ProfileTemplate.Provider.init(rawValue:)) { return named }
        if answers.issuer != nil, answers.domain == nil { return .oidc }
        return answers.authServer == "org" ? .oktaOrg : .oktaCustom
    }
}

/// A stand-in questioner for `template()`: no one to ask.
private struct NoQuestions: InitQuestioner {
    func ask(_ question: String) throws -> String { "" }
    func tell(_ line: String) throws {}
}
