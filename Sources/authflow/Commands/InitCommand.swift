import ArgumentParser
import AuthFlowCore
import Foundation

struct InitCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a first, commented, valid authflow.yaml: asks on the terminal, or takes flags.",
        discussion: """
            With --domain (or --issuer) and --client-id, nothing is asked and the rest takes its default:
              authflow init --provider okta-custom --domain dev-123456.okta.com --client-id 0oab8olIgVNOkztHm0h7
            An existing file is never replaced without --force (exit 73).
            """)

    @Option(help: "okta-org, okta-custom or oidc (default: oidc with --issuer, else okta-custom).") var provider: String?
    @Option(help: ArgumentHelp("The Okta domain.", valueName: "HOST")) var domain: String?
    @Option(help: ArgumentHelp("okta-custom: the authorization server id (default: default).", valueName: "ID")) var authServer: String?
    @Option(help: ArgumentHelp("oidc: the issuer URL.", valueName: "URL")) var issuer: String?
    @Option(help: ArgumentHelp("The OAuth client id.", valueName: "ID")) var clientId: String?
    @Option(help: ArgumentHelp("The client secret's environment variable, written as env:NAME (default: OKTA_CLIENT_SECRET).", valueName: "NAME")) var secretEnv: String?
    @Option(help: ArgumentHelp("The client secret's reference (file:PATH, keyring:SERVICE/ACCOUNT, prompt, 'command: [program, args]', ...), or none for a public client.", valueName: "REF")) var secret: String?
    @Option(help: ArgumentHelp("The grant: \(ProfileTemplate.grants.joined(separator: ", ")).", valueName: "TYPE")) var grant: String?
    @Option(help: "password, okta_otp and okta_oob grants: the user name.") var username: String?
    @Option(help: ArgumentHelp("password grant: the password's reference (default: prompt).", valueName: "REF")) var password: String?
    @Option(help: ArgumentHelp("refresh_token grant: the refresh token's reference (default: prompt).", valueName: "REF")) var refreshToken: String?
    @Option(help: ArgumentHelp("Scopes, space- or comma-separated, or none.", valueName: "SCOPES")) var scopes: String?
    @Option(help: ArgumentHelp("The profile's name (default: dev).", valueName: "NAME")) var profile: String?
    @Option(name: [.short, .long], help: ArgumentHelp("Where to write; - for stdout.", valueName: "FILE")) var output = "authflow.yaml"
    @Option(help: ArgumentHelp("The JSON Schema URL or path for the editor modeline.", valueName: "URL")) var schema: String?
    @Flag(help: "Replace an existing file.") var force = false
    @Flag(help: "Never ask; fail when a needed flag is missing.") var noInput = false

    func validate() throws {
        if secretEnv != nil, secret != nil { throw ValidationError("give --secret-env or --secret, not both") }
    }

    func output() async throws -> String {
        if output != "-", !force, FileManager.default.fileExists(atPath: output) {
            throw AuthFlowError(.cannotCreate, "\(output) already exists; authflow init does not replace it", hint: "pass --force to replace it, or --output FILE to write elsewhere")
        }
        var interview = InitInterview(answers: answers)
        if let schema { interview.schemaURL = schema }
        let template: ProfileTemplate
        if interview.missingFlags.isEmpty || noInput {
            template = try interview.template()
        } else {
            guard var terminal = TerminalQuestioner() else {
                throw AuthFlowError(.usage, "\(interview.missingFlags.joined(separator: ", ")) missing, and there is no terminal to ask on", hint: "pass them as flags; see authflow init --help")
            }
            try terminal.tell("authflow init: a few questions for \(output == "-" ? "the profile file" : output); Enter takes the [default].")
            template = try interview.template(asking: &terminal)
        }
        if output == "-" { return template.render() }
        let text = template.render()
        try write(text)
        trust(text)
        let check = output == "authflow.yaml" ? "authflow validate" : "authflow validate -c \(output)"
        Console.error("wrote \(output) with profile '\(template.profileName)'; check it with: \(check)\n")
        return ""
    }

    private var answers: InitAnswers {
        var answers = InitAnswers()
        (answers.provider, answers.domain, answers.authServer, answers.issuer, answers.clientID) = (provider, domain, authServer, issuer, clientId)
        answers.secret = secretEnv.map { "env:\($0)" } ?? secret
        (answers.grant, answers.username, answers.password, answers.refreshToken) = (grant, username, password, refreshToken)
        (answers.scopes, answers.profileName) = (scopes, profile)
        return answers
    }

    /// Records the file just written as trusted: the user wrote it, here and now (as `direnv edit`
    /// allows what it edits). A failure leaves the file untrusted, with a warning that says so.
    private func trust(_ text: String) {
        do {
            guard let absolute = TrustStore.absolutePath(output) else { return }
            try TrustStore(environment: Runner.environment).trust(absolutePath: absolute, contents: text.utf8)
        } catch {
            Console.error("authflow: warning: \(output) is written but not trusted (\(error)); run: authflow trust \(output)\n")
        }
    }

    /// Creates the file exclusively (a file that appeared meanwhile is not replaced), or with --force replaces it atomically.
    private func write(_ text: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: force ? .atomic : .withoutOverwriting)
        } catch {
            let exists = !force && FileManager.default.fileExists(atPath: output)
            throw AuthFlowError(.cannotCreate, exists ? "\(output) already exists; authflow init does not replace it" : "cannot write \(output): \((error as NSError).localizedDescription)",
                                hint: exists ? "pass --force to replace it" : "check that the folder exists and is writable")
        }
    }
}
