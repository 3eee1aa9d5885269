import AuthFlowCore
import Foundation
import Testing

/// `authflow init`'s template and interview: every combination renders a file the loader accepts.
@Suite struct ProfileTemplateTests {
    /// Answers typed in order; records what was shown.
    struct ScriptedQuestioner: InitQuestioner {
        var answers: [String]
        var asked: [String] = []
        var told: [String] = []

        struct OutOfAnswers: Error {}

        mutating func ask(_ question: String) throws -> String {
            asked.append(question)
            guard !answers.isEmpty else { throw OutOfAnswers() }
            return answers.removeFirst()
        }

        mutating func tell(_ line: String) throws { told.append(line) }
    }

    static let combinations: [(ProfileTemplate.Provider, String)] = ProfileTemplate.Provider.allCases.flatMap { provider in
        ProfileTemplate.grants.map { (provider, $0) }
    }

    @Test("every provider and grant renders a valid, schema-annotated file", arguments: combinations)
    func rendersValidFile(provider: ProfileTemplate.Provider, grant: String) throws {
        var answers = InitAnswers()
        answers.provider = provider.rawValue
        answers.domain = "dev-123456.okta.com"
        answers.issuer = "https://login.example.com/realms/main"
        answers.clientID = "0oab8olIgVNOkztHm0h7"
        answers.grant = grant
        answers.username = "testuser1@example.com"
        let template = try InitInterview(answers: answers).template()
        #expect(template.problems().isEmpty, "\(template.problems())\n\(template.render())")
        let text = template.render()
        #expect(text.hasPrefix("# yaml-language-server: $schema=\(ProfileSchema.schemaURL)\n"))
        let file = try ProfileFile(root: try YAMLLoader().parse(Array(text.utf8), file: "t").root, source: text, path: "t")
        let profile = try file.profile(named: "dev", environment: [:])
        #expect(profile.grant.name == grant)
        #expect(profile.request.scopes == (grant == "client_credentials" ? [] : ["openid", "profile"]))
        #expect(profile.client.secret == .env(provider == .oidc ? "CLIENT_SECRET" : "OKTA_CLIENT_SECRET"))
    }

    @Test("flags alone: a missing required flag or a bad value is a usage error naming the flag")
    func flagErrors() throws {
        var answers = InitAnswers()
        answers.domain = "example.okta.com"
        #expect(InitInterview(answers: answers).missingFlags == ["--client-id"])
        for grant in ["password", "okta_otp", "okta_oob"] {
            var named = answers
            named.grant = grant
            #expect(InitInterview(answers: named).missingFlags == ["--client-id", "--username"], "\(grant) names a user")
        }
        let missing = try #require(throws: AuthFlowError.self) { try InitInterview(answers: answers).template() }
        #expect(missing.kind == .usage && missing.message.contains("--client-id"))
        answers.clientID = "abc"
        answers.domain = "http://example.com"
        let http = try #require(throws: AuthFlowError.self) { try InitInterview(answers: answers).template() }
        #expect(http.message.hasPrefix("--domain 'http://example.com': domain: plain http:// is allowed only for loopback hosts"))
        answers.domain = "example.okta.com"
        answers.secret = "hunter2"
        let bare = try #require(throws: AuthFlowError.self) { try InitInterview(answers: answers).template() }
        #expect(bare.message.hasPrefix("--secret:") && !bare.message.contains("hunter2"), "a pasted secret is never echoed: \(bare.message)")
        answers.secret = "none"
        answers.grant = "token_exchange"
        let grant = try #require(throws: AuthFlowError.self) { try InitInterview(answers: answers).template() }
        #expect(grant.message.contains("this authflow can use password, client_credentials, refresh_token, device_code, authorization_code"))
    }

    @Test("on the terminal: every question not given by a flag is asked; a bad answer is explained and asked again")
    func interview() throws {
        var answers = InitAnswers()
        answers.clientID = "0oab8olIgVNOkztHm0h7"
        var questioner = ScriptedQuestioner(answers: ["oidc", "http://idp.example.com", "https://idp.example.com", "", "password", "bob", "", "openid email", "work"])
        let template = try InitInterview(answers: answers).template(asking: &questioner)
        #expect(questioner.asked.count == 9, "\(questioner.asked)")
        #expect(questioner.asked.first?.contains("okta-custom") == true && questioner.asked.first?.hasSuffix("Provider [okta-custom]: ") == true)
        #expect(!questioner.asked.contains { $0.hasPrefix("Client ID") }, "--client-id was given")
        #expect(questioner.told.count == 1 && questioner.told.first?.contains("plain http:// is allowed only for loopback hosts") == true)
        #expect(questioner.asked.contains("Client secret, as a reference: env:NAME, file:PATH, keyring:SERVICE/ACCOUNT (the OS keychain; store it with authflow keyring set), prompt, command: [program, args], or none for a public client [env:CLIENT_SECRET]: "))
        #expect(template.problems().isEmpty)
        #expect((template.provider, template.issuer, template.secret, template.grant) == (.oidc, "https://idp.example.com", "env:CLIENT_SECRET", .password))
        #expect((template.username, template.password, template.scopes, template.profileName) == ("bob", "prompt", ["openid", "email"], "work"))
    }

    @Test("values are written so that the loader and editors read them back unchanged",
          arguments: ["a b", "x: y", "#c", "0123", "null", "true", "${X}", "é", "-a", "a,b", "[x]", "'q'", "\"d\"", "~/k", "tab\there", "@at"])
    func scalarsRoundTrip(value: String) throws {
        var template = ProfileTemplate(provider: .oidc)
        (template.issuer, template.clientID, template.secret, template.scopes) = ("https://idp.example.com", value, nil, [value, "b"])
        let text = template.render()
        let root = try YAMLLoader().parse(Array(text.utf8), file: "t").root
        let profile = root?["profiles"]?["dev"]
        let id = try #require(profile?["client"]?["id"])
        #expect(id.scalar == value, "\(text)")
        #expect(try EditorView.json(id) == .string(value))
        #expect(profile?["scopes"]?.items?.compactMap(\.scalar) == [value, "b"])
    }

    @Test("a command reference becomes a flow mapping")
    func commandReference() throws {
        var template = ProfileTemplate(provider: .oktaOrg)
        (template.domain, template.clientID, template.secret) = ("example.okta.com", "abc", "command: [pass, show, okta/secret]")
        #expect(template.render().contains("      secret: { command: [pass, show, okta/secret] }\n"))
        #expect(template.problems().isEmpty)
    }
}
