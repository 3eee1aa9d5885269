import Foundation

/// How a profile authenticates its client.
enum ClientAuth: String, CaseIterable, Sendable {
    /// The default with a secret; written without `auth:` so the default is what is tested.
    case basic = "client_secret_basic"
    case post = "client_secret_post"
    /// The public client.
    case none
}

/// Builders for `authflow.yaml` text. Profile bodies are written at column 1 and indented here.
enum ProfileYAML {
    /// `version: 1`, optional `defaults:`, then `profiles:` with each body under its name.
    static func file(_ profiles: KeyValuePairs<String, String>, defaults: String? = nil) -> String {
        var text = "version: 1\n"
        if let defaults { text += "defaults:\n" + indent(defaults, by: 2) }
        text += "profiles:\n"
        for (name, body) in profiles {
            text += "  \(name):\n" + indent(body, by: 4)
        }
        return text
    }

    static func indent(_ body: String, by spaces: Int) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: true)
            .map { String(repeating: " ", count: spaces) + $0 + "\n" }.joined()
    }
}

extension AuthorizationServerProcess {
    /// `domain:` and `auth_server:` lines for authorization server `id` of this server.
    func okta(_ id: String = "org") -> String {
        "domain: \(base)\n" + (id == "org" ? "" : "auth_server: \(id)\n")
    }

    /// A `client:` block; the secret comes from `$E2E_CLIENT_SECRET` (see `Sandbox(for:)`).
    func client(_ auth: ClientAuth = .basic, secret: String = "env:E2E_CLIENT_SECRET") -> String {
        switch auth {
        case .basic: "client:\n  id: \(fixture.clientID)\n  secret: \(secret)\n"
        case .post: "client:\n  id: \(fixture.clientID)\n  secret: \(secret)\n  auth: client_secret_post\n"
        case .none: "client:\n  id: \(fixture.publicClientID)\n"
        }
    }

    /// A password `grant:` block for the fixture user; the password comes from `password`.
    func passwordGrant(password: String = "env:E2E_PASSWORD") -> String {
        "grant:\n  type: password\n  username: \(fixture.username)\n  password: \(password)\n"
    }

    /// A complete password-grant profile body against authorization server `id`.
    func passwordProfile(_ id: String = "org", auth: ClientAuth = .basic, scopes: String = "[openid, profile]", extra: String = "") -> String {
        okta(id) + client(auth) + passwordGrant() + "scopes: \(scopes)\n" + extra
    }
}
