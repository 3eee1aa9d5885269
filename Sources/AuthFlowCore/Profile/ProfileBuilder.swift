public import Foundation

/// Turns one merged profile node into a `Profile`, reporting what the schema alone cannot:
/// exactly one token source, required keys, grant settings, URL rules, variable expansion.
/// Wrong types were already reported by `SchemaChecker`; values of the wrong type are skipped here.
struct ProfileBuilder {
    let name: String
    let nameLocation: SourceLocation
    let directory: String
    let expander: VariableExpander
    private(set) var diagnostics: [Diagnostic] = []

    init(name: String, nameLocation: SourceLocation, directory: String, expander: VariableExpander) {
        self.name = name
        self.nameLocation = nameLocation
        self.directory = directory
        self.expander = expander
    }

    private var owner: String { "profile '\(name)'" }

    mutating func build(_ node: YAMLNode) -> Profile? {
        let start = diagnostics.count
        let source = tokenSource(node)
        let certificate = clientCertificate(node["tls"])
        let client = client(node["client"], certificate: node["tls"]?["client_cert"] != nil)
        let grant = grant(node["grant"])
        var request = Profile.RequestParameters()
        request.scopes = words(node["scopes"], path: "scopes")
        request.audience = node["audience"].flatMap { text($0, path: "audience") }
        request.resources = words(node["resource"], path: "resource", split: false)
        request.params = params(node["params"])
        let prefix = outputPrefix(node["output"]?["prefix"])
        var connection = Profile.Connection()
        connection.timeout = node["timeout"].flatMap { text($0, path: "timeout") }.flatMap(Duration.parse) ?? connection.timeout
        connection.retries = node["retries"]?.scalar.flatMap { Int($0) } ?? connection.retries
        connection.caFile = node["tls"]?["ca_file"].flatMap { text($0, path: "tls.ca_file") }.map(absolutePath)
        connection.clientCertificate = certificate
        var git = Profile.Git()
        git.username = node["git"]?["username"].flatMap { text($0, path: "git.username") } ?? git.username
        git.host = node["git"]?["host"].flatMap { text($0, path: "git.host") }
        let skew = node["refresh_skew"].flatMap { text($0, path: "refresh_skew") }.flatMap(Duration.parse) ?? .seconds(60)
        let verification = verification(node["verify"])
        let refreshTokenStorage = node["cache"]?["refresh_token"].flatMap { text($0, path: "cache.refresh_token") }.flatMap(RefreshTokenStorage.init(rawValue:)) ?? .file
        if let client, [.clientSecretBasic, .clientSecretPost].contains(client.auth), client.secret == nil {
            report(node["client"] ?? node, "client.auth is \(client.auth.rawValue) but client.secret is not set", hint: "add client.secret (e.g. env:OKTA_CLIENT_SECRET), or set client.auth: none for a public client")
        }
        if case .jwtBearer(nil)? = grant, let client, client.privateKey == nil {
            report(node["grant"] ?? node, "the jwt_bearer grant needs grant.assertion, or client.private_key to sign one", hint: "add grant.assertion: env:ASSERTION, or client.private_key: file:key.pem")
        }
        guard diagnostics.count == start, let source, let client, let grant else { return nil }
        return Profile(name: name, source: source, client: client, grant: grant, request: request, connection: connection,
                       refreshSkew: skew, outputPrefix: prefix, git: git, directory: directory, verification: verification,
                       refreshTokenStorage: refreshTokenStorage)
    }

    // MARK: - Token source

    private mutating func tokenSource(_ node: YAMLNode) -> Profile.TokenSource? {
        let domain = node["domain"], issuer = node["issuer"], tokenURL = node["token_url"]
        if domain != nil, let other = issuer ?? tokenURL {
            report(other, "domain and \(issuer != nil ? "issuer" : "token_url") are both set; a profile takes its tokens from exactly one source (\(owner))",
                   hint: "keep domain (Okta), or issuer (+ token_url), and remove the other")
            return nil
        }
        if let authServer = node["auth_server"], domain == nil {
            report(authServer, "auth_server needs domain", hint: "auth_server picks an Okta authorization server under domain; with issuer or token_url, remove it")
            return nil
        }
        if let domain {
            guard let base = url(domain, path: "domain", defaultScheme: true) else { return nil }
            guard base.path.isEmpty || base.path == "/", base.query == nil else {
                report(domain, "domain: '\(domain.scalar ?? "")' has a path; give only the host (and scheme and port)", hint: "use auth_server to pick an authorization server: domain: example.okta.com, auth_server: default")
                return nil
            }
            var server = "org"
            if let serverNode = node["auth_server"], let value = text(serverNode, path: "auth_server") {
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                    report(serverNode, "auth_server: '\(value)' is not an authorization server id", hint: "org, default, or an id such as aus1a2b3c4d5e6f7g8h9")
                    return nil
                }
                server = value
            }
            return .okta(base: base.trailingSlashRemoved, authServer: server)
        }
        if let tokenURL {
            guard let token = url(tokenURL, path: "token_url", defaultScheme: false) else { return nil }
            let issuerURL = issuer.flatMap { url($0, path: "issuer", defaultScheme: false) }
            if issuer != nil, issuerURL == nil { return nil }
            return .tokenURL(token, issuer: issuerURL)
        }
        if let issuer {
            return url(issuer, path: "issuer", defaultScheme: false).map { .issuer($0.trailingSlashRemoved) }
        }
        report(at: nameLocation, "\(owner) has no token source", hint: "set domain (Okta, with auth_server), issuer (OIDC discovery), or token_url", length: name.count)
        return nil
    }

    private mutating func url(_ node: YAMLNode, path: String, defaultScheme: Bool) -> URL? {
        guard let value = text(node, path: path) else { return nil }
        let withScheme = defaultScheme && !value.contains("://") ? "https://\(value)" : value
        guard let url = URL(string: withScheme), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            report(node, "\(path): '\(value)' is not a URL", hint: defaultScheme ? "write a host such as example.okta.com" : "write a full URL such as https://example.okta.com/oauth2/default")
            return nil
        }
        switch scheme {
        case "https": return url
        case "http" where URL.isLoopback(host: host): return url
        case "http":
            report(node, "\(path): plain http:// is allowed only for loopback hosts, not '\(host)'", hint: "use https://\(value.dropFirst("http://".count))")
        default:
            report(node, "\(path): unsupported scheme '\(scheme)' in '\(value)'", hint: "use https:// (or http:// for 127.0.0.1 and localhost)")
        }
        return nil
    }

    // MARK: - Client and grant

    /// `client_cert` needs `client_key` and the other way round; `certificate` says the profile has one.
    private mutating func client(_ node: YAMLNode?, certificate: Bool) -> Profile.Client? {
        guard let node else {
            report(at: nameLocation, "\(owner) has no client", hint: "add client: {id: ..., secret: env:CLIENT_SECRET}", length: name.count)
            return nil
        }
        guard node.pairs != nil else { return nil }
        guard let idNode = node["id"] else {
            report(node, "client.id is missing in \(owner)", hint: "the OAuth client id, e.g. 0oab8olIgVNOkztHm0h7")
            return nil
        }
        guard let id = text(idNode, path: "client.id") else { return nil }
        let secret = node["secret"].flatMap { try? SecretReference.parse($0, path: "client.secret").get() }
        let privateKey = node["private_key"].flatMap { try? SecretReference.parse($0, path: "client.private_key").get() }
        let keyID = node["key_id"].flatMap { text($0, path: "client.key_id") }
        var auth: Profile.ClientAuth = privateKey != nil ? .privateKeyJWT : secret != nil ? .clientSecretBasic : certificate ? .tlsClientAuth : .none
        if let authNode = node["auth"], let value = authNode.scalar, let parsed = Profile.ClientAuth(rawValue: value) {
            auth = parsed
        }
        let reportAt = node["auth"] ?? node
        switch auth {
        case .privateKeyJWT where node["private_key"] == nil:
            report(reportAt, "client.auth is private_key_jwt but client.private_key is not set", hint: "add client.private_key: file:client-key.pem (a PEM or JWK, RS256 or ES256)")
            return nil
        case .clientSecretJWT where node["secret"] == nil:
            report(reportAt, "client.auth is client_secret_jwt but client.secret is not set", hint: "add client.secret (e.g. env:OKTA_CLIENT_SECRET); it signs the HS256 assertion")
            return nil
        case .tlsClientAuth where !certificate:
            report(reportAt, "client.auth is tls_client_auth but tls.client_cert is not set",
                   hint: "add tls: {client_cert: client.pem, client_key: file:client.key}; the server knows the client by that certificate (RFC 8705)")
            return nil
        case .tlsClientAuth where node["secret"] != nil:
            report(node["secret"] ?? reportAt, "client.secret is set but client.auth is tls_client_auth, which sends no secret",
                   hint: "remove client.secret (secret: ~ unsets an inherited one), or use client_secret_basic: the certificate still binds the tokens")
            return nil
        case .clientSecretBasic, .clientSecretPost, .clientSecretJWT, .none, .tlsClientAuth:
            if let keyNode = node["private_key"] {
                report(keyNode, "client.private_key is set but client.auth is \(auth.rawValue)", hint: "remove client.auth (private_key_jwt is the default with a private_key), or remove private_key")
                return nil
            }
        case .privateKeyJWT: break
        }
        return Profile.Client(id: id, secret: secret, auth: auth, privateKey: privateKey, keyID: keyID)
    }

    /// `tls.client_cert` (a path) and `tls.client_key` (a secret reference): both or neither.
    private mutating func clientCertificate(_ tls: YAMLNode?) -> Profile.ClientCertificate? {
        guard let tls else { return nil }
        let certNode = tls["client_cert"], keyNode = tls["client_key"]
        if let certNode, keyNode == nil {
            report(certNode, "tls.client_cert is set but tls.client_key is not", hint: "add tls.client_key: file:client.key (the certificate's private key, PEM)")
        }
        if let keyNode, certNode == nil {
            report(keyNode, "tls.client_key is set but tls.client_cert is not", hint: "add tls.client_cert: client.pem (the certificate chain, PEM, leaf first)")
        }
        guard let certNode, let keyNode, let path = text(certNode, path: "tls.client_cert"),
              let key = try? SecretReference.parse(keyNode, path: "tls.client_key").get() else { return nil }
        return Profile.ClientCertificate(chainFile: absolutePath(path), key: key)
    }

    private mutating func grant(_ node: YAMLNode?) -> Profile.Grant? {
        guard let node else {
            report(at: nameLocation, "\(owner) has no grant", hint: "add grant: client_credentials, or grant: {type: password, username: ..., password: env:...}", length: name.count)
            return nil
        }
        let typeNode = node.pairs == nil ? node : node["type"]
        guard let typeNode else {
            report(node, "grant.type is missing in \(owner)", hint: "one of \(Profile.Grant.supported.joined(separator: ", "))")
            return nil
        }
        // The schema check has reported a name that is not a grant.
        guard let name = typeNode.scalar, let type = GrantType(rawValue: name) else { return nil }
        for pair in node.pairs ?? [] {
            guard let key = pair.key.scalar, key != "type", !type.keys.contains(key) else { continue }
            report(pair.key, "grant.\(key) does not apply to the \(name) grant", hint: "remove it, or change grant.type", length: key.count)
        }
        switch type {
        case .password:
            guard let username = required(node, "username", grant: type), let password = required(node, "password", grant: type),
                  let name = self.username(username) else { return nil }
            guard let secret = try? SecretReference.parse(password, path: "grant.password").get() else { return nil }
            guard let mfaNode = node["mfa"] else { return .password(username: name, password: secret) }
            guard let mfa = mfaSettings(mfaNode) else { return nil }
            return .password(username: name, password: secret, mfa: mfa)
        case .refreshToken:
            guard let token = required(node, "refresh_token", grant: type),
                  let reference = try? SecretReference.parse(token, path: "grant.refresh_token").get() else { return nil }
            return .refreshToken(reference)
        case .deviceCode:
            return .deviceCode
        case .tokenExchange:
            guard let subjectNode = required(node, "subject_token", grant: type),
                  let subject = try? SecretReference.parse(subjectNode, path: "grant.subject_token").get() else { return nil }
            let actor = node["actor_token"].flatMap { try? SecretReference.parse($0, path: "grant.actor_token").get() }
            if node["actor_token"] != nil, actor == nil { return nil }
            if let typeNode = node["actor_token_type"], node["actor_token"] == nil {
                report(typeNode, "grant.actor_token_type is set but grant.actor_token is not", hint: "add actor_token, or remove actor_token_type")
                return nil
            }
            let subjectType = node["subject_token_type"].flatMap { text($0, path: "grant.subject_token_type") } ?? GrantType.accessTokenType
            let actorType = node["actor_token_type"].flatMap { text($0, path: "grant.actor_token_type") }
            return .tokenExchange(subject: subject, subjectType: subjectType, actor: actor, actorType: actor == nil ? nil : actorType ?? GrantType.accessTokenType)
        case .jwtBearer:
            guard let assertionNode = node["assertion"] else { return .jwtBearer(assertion: nil) }
            guard let reference = try? SecretReference.parse(assertionNode, path: "grant.assertion").get() else { return nil }
            return .jwtBearer(assertion: reference)
        case .authorizationCode:
            guard let portNode = node["redirect_port"] else { return .authorizationCode(redirectPort: nil) }
            guard let text = text(portNode, path: "grant.redirect_port"), let port = Int(text), (1...65535).contains(port) else {
                report(portNode, "grant.redirect_port: '\(portNode.scalar ?? "")' is not a port number", hint: "a port from 1024 to 65535 registered in the app's redirect URIs, or remove it for any free port")
                return nil
            }
            return .authorizationCode(redirectPort: port)
        case .clientCredentials:
            return .clientCredentials
        case .oktaOTP:
            guard let username = required(node, "username", grant: type), let name = self.username(username) else { return nil }
            guard let otpNode = node["otp"] else { return .oktaOTP(username: name, otp: .prompt) }
            guard let otp = try? SecretReference.parse(otpNode, path: "grant.otp").get() else { return nil }
            return .oktaOTP(username: name, otp: otp)
        case .oktaOOB:
            guard let username = required(node, "username", grant: type), let name = self.username(username) else { return nil }
            var channel = MFAFactor.push
            if let channelNode = node["channel"] {
                // The schema check has reported a name that is not a channel.
                guard let value = channelNode.scalar, let parsed = MFAFactor(rawValue: value), parsed.channel != nil else { return nil }
                channel = parsed
            }
            guard let codeNode = node["code"] else { return .oktaOOB(username: name, channel: channel, code: .prompt) }
            guard channel.sendsCode else {
                report(codeNode, "grant.code does not apply to channel \(channel.profileName)", hint: "remove it (a push needs no code), or set channel: sms, voice or email")
                return nil
            }
            guard let code = try? SecretReference.parse(codeNode, path: "grant.code").get() else { return nil }
            return .oktaOOB(username: name, channel: channel, code: code)
        }
    }

    /// `grant.username`: plain text, or a secret reference when it reads as one.
    private mutating func username(_ node: YAMLNode) -> Profile.Username? {
        if node.pairs != nil || node.scalar.map(SecretReference.looksLikeReference) == true {
            return (try? SecretReference.parse(node, path: "grant.username").get()).map { .secret($0) }
        }
        return text(node, path: "grant.username").map { .plain($0) }
    }

    /// `grant.mfa`: the factor is required; `otp` and `code` belong to the factors that use them.
    private mutating func mfaSettings(_ node: YAMLNode) -> Profile.MFA? {
        // The schema check has reported a value that is not a mapping, or a factor that is unknown.
        guard node.pairs != nil else { return nil }
        guard let factorNode = node["factor"] else {
            report(node, "grant.mfa.factor is missing (\(owner))", hint: "add factor: one of \(MFAFactor.names.joined(separator: ", "))")
            return nil
        }
        guard let name = factorNode.scalar, let factor = MFAFactor(rawValue: name) else { return nil }
        var settings = Profile.MFA(factor: factor)
        if let otpNode = node["otp"] {
            guard factor == .otp else {
                report(otpNode, "grant.mfa.otp does not apply to factor \(name)", hint: factor.sendsCode ? "write code: for the code sent by \(name)" : "remove it, or set factor: otp")
                return nil
            }
            guard let reference = try? SecretReference.parse(otpNode, path: "grant.mfa.otp").get() else { return nil }
            settings.otp = reference
        }
        if let codeNode = node["code"] {
            guard factor.sendsCode else {
                report(codeNode, "grant.mfa.code does not apply to factor \(name)", hint: factor == .otp ? "write otp: for an authenticator app's code" : "remove it; push needs no code")
                return nil
            }
            guard let reference = try? SecretReference.parse(codeNode, path: "grant.mfa.code").get() else { return nil }
            settings.code = reference
        }
        return settings
    }

    private mutating func required(_ grant: YAMLNode, _ key: String, grant type: GrantType) -> YAMLNode? {
        if let value = grant[key] { return value }
        report(grant, "grant.\(key) is missing; the \(type.profileName) grant needs it (\(owner))",
               hint: grant.pairs == nil ? "write grant as a mapping: {type: \(type.profileName), \(key): ...}" : "add \(key): under grant")
        return nil
    }

    // MARK: - Other keys

    private mutating func words(_ node: YAMLNode?, path: String, split: Bool = true) -> [String] {
        guard let node else { return [] }
        if let items = node.items {
            return items.compactMap { text($0, path: path) }.filter { !$0.isEmpty }
        }
        guard let value = text(node, path: path) else { return [] }
        return split ? value.split(separator: " ").map(String.init) : [value]
    }

    private mutating func params(_ node: YAMLNode?) -> [(name: String, value: String)] {
        let reserved = ["grant_type", "client_id", "client_secret", "username", "password", "scope", "refresh_token", "client_assertion", "client_assertion_type"]
        var out: [(name: String, value: String)] = []
        for pair in node?.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            if reserved.contains(key) {
                report(pair.key, "params.\(key) would replace a parameter authflow sets itself", hint: "use the profile's own key for it (scopes, grant, client)", length: key.count)
                continue
            }
            if let value = text(pair.value, path: "params.\(key)") { out.append((key, value)) }
        }
        return out
    }

    /// `verify:`: only asymmetric algorithms, a leeway of at most two minutes (docs/guides/tokens.md).
    private mutating func verification(_ node: YAMLNode?) -> VerificationSettings {
        var settings = VerificationSettings()
        guard let node else { return settings }
        if let algorithms = node["algorithms"] {
            var names: [String] = []
            for item in algorithms.items ?? [algorithms] {
                for name in words(item, path: "verify.algorithms") {
                    names.append(name)
                    guard !VerificationSettings.knownAlgorithms.contains(name) else { continue }
                    report(item, "verify.algorithms: '\(name)' is not an asymmetric JWS algorithm authflow verifies",
                           hint: "use \(VerificationSettings.knownAlgorithms.joined(separator: ", ")); HMAC and none are never allowed")
                }
            }
            if !names.isEmpty { settings.algorithms = names }
        }
        if let leewayNode = node["leeway"], let leeway = text(leewayNode, path: "verify.leeway").flatMap(Duration.parse) {
            if leeway > VerificationSettings.maximumLeeway { report(leewayNode, "verify.leeway: \(leewayNode.scalar ?? "") is more than the 2 minutes allowed", hint: "use at most 120s") }
            settings.leeway = leeway
        }
        settings.audiences = words(node["audience"], path: "verify.audience", split: false)
        return settings
    }

    private mutating func outputPrefix(_ node: YAMLNode?) -> String {
        guard let node, let value = text(node, path: "output.prefix") else { return OutputOptions.defaultPrefix }
        if !value.isEmpty, !(value + "X").isValidVariableName {
            report(node, "output.prefix: '\(value)' cannot start a variable name", hint: "use letters, digits and '_', not starting with a digit, e.g. OKTA_")
        }
        return value
    }

    /// `path` made absolute from the profile's folder; `~` from the environment the builder was
    /// given (none when only checking: then the account's home), never the process's own.
    private func absolutePath(_ path: String) -> String {
        SecretResolver(environment: expander.environment ?? [:], baseDirectory: directory).absolutePath(path)
    }

    // MARK: - Helpers

    /// The node's text with variables expanded; nil when it has the wrong type or its value
    /// is only known at run time (checking without an environment).
    private mutating func text(_ node: YAMLNode, path: String) -> String? {
        guard let raw = node.scalar, !node.isNull else { return nil }
        switch expander.expand(raw) {
        case .text(let value): return value
        case .deferred: return nil
        case .failure(let message, let hint):
            report(node, "\(path): \(message) (\(owner))", hint: hint)
            return nil
        }
    }

    private mutating func report(_ node: YAMLNode, _ message: String, hint: String? = nil, length: Int = 1) {
        report(at: node.location, message, hint: hint, length: length)
    }

    private mutating func report(at location: SourceLocation, _ message: String, hint: String? = nil, length: Int = 1) {
        diagnostics.append(Diagnostic(at: location, message, hint: hint, length: length))
    }
}

extension URL {
    /// The URL without a trailing `/` on its path.
    var trailingSlashRemoved: URL {
        let text = absoluteString
        guard text.hasSuffix("/"), let trimmed = URL(string: String(text.dropLast())) else { return self }
        return trimmed
    }
}
