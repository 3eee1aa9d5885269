import AuthFlowCore
import AuthFlowServer
import Foundation
import Testing

@Suite("Serve configuration")
struct ServeConfigurationTests {
    /// The diagnostics of loading `yaml`, rendered like the CLI shows them.
    func problems(_ yaml: String) throws -> (diagnostics: [Diagnostic], rendered: String) {
        let (root, source) = try YAMLLoader().parse(Array(yaml.utf8), file: "serve.yaml")
        do {
            _ = try ServeConfiguration(root: root, source: source, path: "serve.yaml")
            return ([], "")
        } catch let error as DiagnosticsError {
            return (error.diagnostics, DiagnosticRenderer(source: error.source).render(error.diagnostics))
        }
    }

    @Test func theTestConfigurationAndTheShippedExampleLoad() throws {
        #expect(try problems(testConfiguration).diagnostics.isEmpty)
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/serve.yaml").standardized
        let configuration = try ServeConfiguration.load(path: example.path)
        #expect(configuration.users.map(\.username) == ["testuser1@example.com", "testuser2@example.com", "mfa-user@example.com"])
        #expect(configuration.users.last?.mfa?.push?.numberChallenge == true && configuration.users.last?.mfa?.codeChannels == ["sms", "email"])
        #expect(configuration.clients.map(\.id) == ["0oab8olIgVNOkztHm0h7", "authflow-cli"])
        #expect(configuration.clients.first?.grantTypes == [.password, .clientCredentials, .refreshToken])
        #expect(configuration.clients.last?.authMethods == [.none])
        #expect(configuration.authServers.map(\.id) == ["org", "default"])
        #expect(configuration.authServers.last?.refreshTokenLifetime == 30 * 86_400)
    }

    @Test func everyProblemIsReportedWithItsPlace() throws {
        let (diagnostics, rendered) = try problems("""
        version: 1
        users:
          alice:
            pasword: literal:x
          bob:
            password: hunter2
        clients:
          app:
            grant_types: [password, implicit]
            auth_methods: [client_secret_post]
        authorization_servers:
          default:
            scopes: [openid]
            lifetimes: {access_token: soon}
        """)
        let places = diagnostics.map { "\($0.location)" }.sorted()
        #expect(places == ["serve.yaml:10:19", "serve.yaml:14:31", "serve.yaml:4:5", "serve.yaml:4:5", "serve.yaml:6:15", "serve.yaml:9:29"])
        #expect(rendered.contains("serve.yaml:4:5: error: unknown key 'pasword'"))
        #expect(rendered.contains("did you mean 'password'?"))
        #expect(rendered.contains("serve.yaml:4:5: error: users.alice: missing required key 'password'"))
        #expect(rendered.contains("serve.yaml:6:15: error: users.bob.password: a bare value is not allowed in a secret field"))
        #expect(!rendered.contains("hunter2"))
        #expect(rendered.contains("serve.yaml:9:29: error: clients.app.grant_types: 'implicit' is not one of password, client_credentials, refresh_token"))
        #expect(rendered.contains("need a secret"))
        #expect(rendered.contains("'soon' is not a duration"))
    }

    @Test func missingTopLevelKeysAreNamed() throws {
        let (diagnostics, rendered) = try problems("""
        version: 1
        clients:
          app: {grant_types: [password], auth_methods: [none]}
        """)
        #expect(diagnostics.map { "\($0.location)" } == ["serve.yaml:1:1", "serve.yaml:1:1"])
        #expect(rendered.contains("serve.yaml:1:1: error: missing required key 'users'"))
        #expect(rendered.contains("missing required key 'authorization_servers'"))
    }

    @Test(arguments: [
        ("version: 2", "out of range"),
        ("", "the file is empty"),
        ("users: {}\nclients: {}\nauthorization_servers: {v1: {scopes: openid}}\nversion: 1", "'v1' is not a usable server id"),
        ("users: {}\nclients: {}\nauthorization_servers: {}\nversion: 1", "at least one client"),
        ("users: {a: {password: 'literal:x', claims: {sub: x}}}\nclients: {}\nauthorization_servers: {}\nversion: 1", "'sub' is set by the server"),
        ("users: {}\nclients: {c: {grant_types: client_credentials}}\nauthorization_servers: {o: {scopes: x}}\nversion: 1", "client_credentials needs a confidential client"),
    ])
    func semanticProblems(yaml: String, message: String) throws {
        let (_, rendered) = try problems(yaml)
        #expect(rendered.contains(message), "\(rendered)")
    }
}
