import ArgumentParser
import AuthFlowCore

@main
struct AuthFlow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authflow",
        abstract: "Get OAuth 2.0 / OpenID Connect tokens for shells, scripts and CI.",
        discussion: """
            Profiles live in authflow.yaml (see -c). Examples:
              eval "$(authflow env prod)"
              curl -H "$(authflow header prod)" https://api.example.com/
            """,
        version: AuthFlowVersion.current,
        subcommands: [EnvCommand.self, HeaderCommand.self, TokenCommand.self, ExecCommand.self, KubectlCommand.self, GitCredentialCommand.self, ProfilesCommand.self, ValidateCommand.self, InitCommand.self, CacheCommand.self, TrustCommand.self, UntrustCommand.self, RevokeCommand.self, InspectCommand.self, VerifyCommand.self, IntrospectCommand.self, ServeCommand.self, KeyringCommand.self, ShellInitCommand.self, SchemaCommand.self]
    )
}
