/// The first profile file `authflow init` writes: commented, pointing editors at the JSON Schema,
/// and valid by construction (`problems()` runs it through the loader before it is written).
public struct ProfileTemplate: Sendable {
    /// Where tokens come from.
    public enum Provider: String, Sendable, CaseIterable {
        /// Okta's org authorization server: tokens for Okta's own APIs.
        case oktaOrg = "okta-org"
        /// An Okta custom authorization server (`default` or an id): tokens for your APIs.
        case oktaCustom = "okta-custom"
        /// Any OpenID Connect issuer, found through discovery.
        case oidc
    }

    /// The grants `init` asks about; the exchange and assertion grants are written by hand (see the README).
    public static let grantTypes: [GrantType] = [.password, .clientCredentials, .refreshToken, .deviceCode, .authorizationCode, .oktaOTP, .oktaOOB]
    /// Their names, for questions and hints.
    public static let grants = grantTypes.map(\.profileName)

    /// Where tokens come from.
    public var provider: Provider
    /// Okta: the domain (`dev-123456.okta.com`).
    public var domain = ""
    /// Okta custom: the authorization server id.
    public var authServer = "default"
    /// OIDC: the issuer URL.
    public var issuer = ""
    /// The OAuth client id.
    public var clientID = ""
    /// The client secret's reference (`env:NAME`, `file:PATH`, `prompt`, `command: [...]`); nil for a public client.
    public var secret: String?
    /// One of `grants`.
    public var grant = GrantType.clientCredentials
    /// password, okta_otp and okta_oob grants: the user name.
    public var username = ""
    /// password grant: the password's reference.
    public var password = "prompt"
    /// refresh_token grant: the refresh token's reference.
    public var refreshToken = "prompt"
    /// Scopes to ask for.
    public var scopes: [String] = []
    /// The profile's name.
    public var profileName = "dev"
    /// The JSON Schema editors should use (yaml-language-server modeline).
    public var schemaURL = ProfileSchema.schemaURL

    /// A template for `provider` with the defaults above.
    public init(provider: Provider) {
        self.provider = provider
    }

    /// The default secret reference for `provider`: an environment variable.
    public static func defaultSecret(for provider: Provider) -> String {
        provider == .oidc ? "env:CLIENT_SECRET" : "env:OKTA_CLIENT_SECRET"
    }

    /// The default scopes for `grant`: `openid profile` where a user signs in (Okta's password grant needs openid).
    public static func defaultScopes(for grant: GrantType) -> [String] {
        grant == .clientCredentials ? [] : ["openid", "profile"]
    }

    /// The file's text.
    public func render() -> String {
        var out = """
            # yaml-language-server: $schema=\(schemaURL)
            #
            # authflow profiles, written by `authflow init`. Editors with the YAML language server complete
            # and check every key as you type; `authflow validate` checks the file from the command line.
            #   eval "$(authflow env \(profileName))"
            #   curl -H "$(authflow header \(profileName))" https://api.example.com/
            version: 1

            profiles:
              \(profileName):

            """
        out += source.map { "    \($0)\n" }.joined()
        out += "    client:\n      id: \(Self.scalar(clientID))\n"
        if let secret {
            out += "      # A secret *reference*, never the secret: env:NAME, file:PATH, keyring:SERVICE/ACCOUNT, prompt, or {command: [program, args...]}.\n"
            out += "      secret: \(Self.reference(secret))\n"
        } else {
            out += "      # A public client: no secret (add secret: env:NAME for a confidential one).\n"
        }
        out += grantLines.map { "    \($0)\n" }.joined()
        let scopesLine = scopes.isEmpty ? "# scopes: [api:read]" : "scopes: [\(scopes.map(Self.scalar).joined(separator: ", "))]"
        out += Self.commented("    " + scopesLine, "a list, or one space-separated string")
        out += Self.commented("    # timeout: 10s", "per request")
        out += Self.commented("    # retries: 2", "after connection failures, 5xx and 429")
        out += "\n  # More profiles go here; `extends: \(profileName)` inherits this one's settings.\n"
        return out
    }

    private var source: [String] {
        switch provider {
        case .oktaOrg:
            return ["# Okta's org authorization server: tokens for Okta's own APIs (issuer https://DOMAIN).",
                    "domain: \(Self.scalar(domain))"]
        case .oktaCustom:
            return ["# An Okta custom authorization server: tokens for your APIs (issuer https://DOMAIN/oauth2/ID).",
                    "domain: \(Self.scalar(domain))", "auth_server: \(Self.scalar(authServer))"]
        case .oidc:
            return ["# Any OpenID Connect provider: endpoints come from ISSUER/.well-known/openid-configuration.",
                    "issuer: \(Self.scalar(issuer))"]
        }
    }

    private var grantLines: [String] {
        switch grant {
        case .password:
            return ["# The user's password goes to the client: RFC 9700 advises against this grant; prefer",
                    "# client_credentials for machines.",
                    "grant:", "  type: password", "  username: \(Self.scalar(username))",
                    password == "prompt" ? String(Self.commented("  password: prompt", "asked on the terminal, echo off", column: 40).dropLast()) : "  password: \(Self.reference(password))"]
        case .refreshToken:
            return ["# A refresh token obtained elsewhere, exchanged for access tokens.",
                    "grant:", "  type: refresh_token", "  refresh_token: \(Self.reference(refreshToken))"]
        case .deviceCode:
            return ["# Sign in on any browser: authflow shows a URL and a code on stderr (RFC 8628).",
                    "grant: device_code"]
        case .authorizationCode:
            return ["# Sign in in the browser: PKCE with a redirect to http://127.0.0.1:PORT/callback (RFC 8252).",
                    "grant: authorization_code"]
        case .oktaOTP:
            return ["# Okta Direct Authentication without a password: the code of an authenticator app.",
                    "grant:", "  type: okta_otp", "  username: \(Self.scalar(username))",
                    String(Self.commented("  otp: prompt", "or { command: [oathtool, --totp, -b, SECRET] }", column: 40).dropLast())]
        case .oktaOOB:
            return ["# Okta Direct Authentication without a password: approve the push in Okta Verify.",
                    "grant:", "  type: okta_oob", "  username: \(Self.scalar(username))",
                    String(Self.commented("  channel: push", "or sms, voice, email (then code: prompt)", column: 40).dropLast())]
        case .clientCredentials, .tokenExchange, .jwtBearer:
            return ["# The client acts for itself: services, CI jobs.", "grant: \(Self.scalar(grant.profileName))"]
        }
    }

    /// `code` and a trailing `# comment` at `column` (or one space after a longer line), and a newline.
    static func commented(_ code: String, _ comment: String, column: Int = 44) -> String {
        code + String(repeating: " ", count: max(1, column - code.count)) + "# \(comment)\n"
    }

    /// Runs the rendered file through the loader; empty when it is valid.
    public func problems(path: String = "authflow.yaml") -> [Diagnostic] {
        do {
            let (root, source) = try YAMLLoader().parse(Array(render().utf8), file: path)
            _ = try ProfileFile(root: root, source: source, path: path)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            return [Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), String(describing: error))]
        }
    }

    /// `value` as a YAML scalar: plain when every reader (the loader, an editor's YAML 1.2 parser, a flow
    /// list) reads it back as the same string, else double-quoted (JSON's escapes are YAML's).
    static func scalar(_ value: String) -> String {
        let safe = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._/@:+-$%~".unicodeScalars.contains(scalar))
        }
        let indicator = value.first.map { "-:?~%@".contains($0) } ?? true
        let special = ["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"].contains(value) || Double(value) != nil
        return safe && !indicator && !special && !value.hasSuffix(":") ? value : JSONValue.quote(value)
    }

    /// A secret reference as YAML: `command: [a, b]` becomes a flow mapping, anything else a scalar.
    static func reference(_ value: String) -> String {
        guard value.hasPrefix("command:"),
              let parsed = try? YAMLLoader().parse(Array(value.utf8), file: "--secret"),
              let argv = parsed.root?["command"]?.items?.compactMap(\.scalar), !argv.isEmpty else { return scalar(value) }
        return "{ command: [\(argv.map(scalar).joined(separator: ", "))] }"
    }
}
