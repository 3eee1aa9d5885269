import AuthFlowCore
import Crypto

/// Builds the typed configuration from nodes the schema has checked, reporting what the schema
/// alone cannot see. Values of the wrong type were reported already and are skipped here.
struct ServeConfigurationBuilder {
    var diagnostics: [Diagnostic] = []
    /// The serve file's folder, where relative `public_keys` paths start.
    var directory = "."

    private func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// Claims the server sets itself; a user may not override them.
    static let reservedClaims: Set<String> = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "amr", "nonce",
                                             "azp", "at_hash", "ver", "cid", "uid", "scp", "idp"]

    mutating func users(_ node: YAMLNode?) -> [ServeConfiguration.User] {
        entries(node).compactMap { name, value -> ServeConfiguration.User? in
            guard let password = value["password"].flatMap({ try? SecretReference.parse($0, path: "users.\(name).password").get() }) else { return nil }
            let claims = value["claims"].map { userClaims($0, path: "users.\(name).claims") } ?? [:]
            var user = ServeConfiguration.User(username: name, id: value["id"]?.scalar ?? Self.derivedUserID(name), password: password, claims: claims)
            user.mfa = value["mfa"].map { mfa($0, path: "users.\(name).mfa") }
            return user
        }
    }

    private mutating func mfa(_ node: YAMLNode, path: String) -> ServeConfiguration.MFA {
        let totp = node["totp"].flatMap { try? SecretReference.parse($0, path: "\(path).totp").get() }
        let push = node["push"].map { push in
            ServeConfiguration.Push(approveAfter: push["approve_after"]?.scalar.flatMap { Int($0) }, numberChallenge: push["binding"]?.scalar == "transfer")
        }
        let channels = names(node["codes"], path: "\(path).codes", allowed: ["sms", "voice", "email"])
        return ServeConfiguration.MFA(totp: totp, push: push, codeChannels: Set(channels))
    }

    mutating func clients(_ node: YAMLNode?) -> [ServeConfiguration.Client] {
        let clients = entries(node).compactMap { id, value -> ServeConfiguration.Client? in
            let path = "clients.\(id)"
            let secret = value["secret"].flatMap { try? SecretReference.parse($0, path: "\(path).secret").get() }
            let grants = names(value["grant_types"], path: "\(path).grant_types", allowed: ServeSchema.grantTypes)
                .compactMap(ServeConfiguration.GrantType.init(rawValue:))
            let keys = (value["public_keys"].map { $0.items?.compactMap(\.scalar) ?? [$0.scalar].compactMap { $0 } } ?? []).map(absolutePath)
            var methods: Set<ServeConfiguration.AuthMethod> = secret != nil ? [.clientSecretBasic, .clientSecretPost] : keys.isEmpty ? [.none] : [.privateKeyJWT]
            if let methodsNode = value["auth_methods"] {
                methods = Set(names(methodsNode, path: "\(path).auth_methods", allowed: ServeSchema.authMethods)
                    .compactMap(ServeConfiguration.AuthMethod.init(rawValue:)).filter(ServeConfiguration.authMethods.contains))
                let needSecret = methods.filter { $0 != .none && $0 != .privateKeyJWT }
                if secret == nil, !needSecret.isEmpty {
                    report(methodsNode, "\(path).auth_methods: \(needSecret.map(\.rawValue).sorted().joined(separator: ", ")) need a secret, and \(path).secret is not set",
                           hint: "add secret: env:NAME (or literal:VALUE for a demo), or write auth_methods: [none] for a public client")
                }
                if keys.isEmpty, methods.contains(.privateKeyJWT) {
                    report(methodsNode, "\(path).auth_methods: private_key_jwt needs \(path).public_keys", hint: "add public_keys: [client-key.pub.pem] (PEM, JWK or JWKS files)")
                }
            }
            if secret == nil, keys.isEmpty, grants.contains(.clientCredentials), let grantsNode = value["grant_types"] {
                report(grantsNode, "\(path).grant_types: client_credentials needs a confidential client, and \(path).secret is not set",
                       hint: "add secret: env:NAME, or remove client_credentials")
            }
            let redirects = value["redirect_uris"].map { $0.items?.compactMap(\.scalar) ?? [$0.scalar].compactMap { $0 } } ?? []
            var client = ServeConfiguration.Client(id: id, secret: secret, grantTypes: Set(grants), authMethods: methods, redirectURIs: redirects)
            client.publicKeys = keys
            return client
        }
        if let node, node.pairs?.isEmpty == true {
            report(node, "clients: at least one client is needed", hint: "add a client id with grant_types, e.g. authflow-cli: {grant_types: [password], auth_methods: [none]}")
        }
        return clients
    }

    mutating func authServers(_ node: YAMLNode?) -> [ServeConfiguration.AuthServer] {
        let servers = entries(node).compactMap { id, value -> ServeConfiguration.AuthServer? in
            guard id != "v1", !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                report(node?.pairs?.first { $0.key.scalar == id }?.key ?? value, "authorization_servers: '\(id)' is not a usable server id",
                       hint: "letters, digits, '_' and '-', such as default or aus1a2b3c4d5e6f7g8h9; 'v1' is taken by the org server's paths")
                return nil
            }
            let path = "authorization_servers.\(id)"
            let scopes = words(value["scopes"])
            for (scope, scopeNode) in scopes where !Self.isScopeToken(scope) {
                report(scopeNode, "\(path).scopes: '\(scope)' is not a valid scope", hint: "a scope is printable ASCII without spaces, '\"' or '\\' (RFC 6749 §3.3)")
            }
            let defaults = words(value["default_scopes"])
            for (scope, scopeNode) in defaults where !scopes.contains(where: { $0.0 == scope }) {
                report(scopeNode, "\(path).default_scopes: '\(scope)' is not in scopes", hint: "add it to \(path).scopes, or remove it here")
            }
            let lifetimes = value["lifetimes"]
            var server = ServeConfiguration.AuthServer(
                id: id, audience: value["audience"]?.scalar, scopes: scopes.map(\.0),
                accessTokenLifetime: seconds(lifetimes?["access_token"], path: "\(path).lifetimes.access_token", default: 3600),
                idTokenLifetime: seconds(lifetimes?["id_token"], path: "\(path).lifetimes.id_token", default: 3600),
                refreshTokenLifetime: seconds(lifetimes?["refresh_token"], path: "\(path).lifetimes.refresh_token", default: 30 * 86_400))
            server.defaultScopes = defaults.map(\.0)
            server.deviceInterval = seconds(value["device"]?["interval"], path: "\(path).device.interval", default: 5)
            server.deviceCodeLifetime = seconds(value["device"]?["lifetime"], path: "\(path).device.lifetime", default: 600)
            server.mfaTokenLifetime = seconds(value["mfa"]?["token_lifetime"], path: "\(path).mfa.token_lifetime", default: 300)
            server.mfaInterval = seconds(value["mfa"]?["interval"], path: "\(path).mfa.interval", default: 5)
            return server
        }
        if let node, node.pairs?.isEmpty == true {
            report(node, "authorization_servers: at least one server is needed", hint: "add default: {scopes: [openid, profile, email, offline_access]}")
        }
        return servers
    }

    // MARK: - Values

    /// The `name: mapping` entries of a mapping, skipping what the schema already reported.
    private func entries(_ node: YAMLNode?) -> [(String, YAMLNode)] {
        (node?.pairs ?? []).compactMap { pair in
            guard let name = pair.key.scalar, pair.value.pairs != nil else { return nil }
            return (name, pair.value)
        }
    }

    /// Each word of a list or space-separated string, with the node to blame for it.
    private func words(_ node: YAMLNode?) -> [(String, YAMLNode)] {
        guard let node else { return [] }
        if let items = node.items {
            return items.compactMap { item in item.scalar.map { ($0, item) } }
        }
        guard let text = node.scalar, !node.isNull else { return [] }
        return text.split(separator: " ").map { (String($0), YAMLNode(.scalar(String($0), .plain), at: node.location)) }
    }

    /// The words of `node` that are in `allowed`; the others are reported with a did-you-mean hint.
    private mutating func names(_ node: YAMLNode?, path: String, allowed: [String]) -> [String] {
        let found = words(node)
        if let node, found.isEmpty, node.items != nil || node.scalar != nil {
            report(node, "\(path): at least one is needed", hint: "choose from \(allowed.joined(separator: ", "))")
        }
        for (_, item) in found {
            diagnostics += SchemaValidation.check(item, as: .oneOf(allowed), owner: "the serve file").map { diagnostic in
                var named = diagnostic
                named.message = "\(path): \(diagnostic.message)"
                return named
            }
        }
        return found.map(\.0).filter(allowed.contains)
    }

    private mutating func userClaims(_ node: YAMLNode, path: String) -> [String: JSONValue] {
        var claims: [String: JSONValue] = [:]
        for pair in node.pairs ?? [] {
            guard let name = pair.key.scalar else { continue }
            if Self.reservedClaims.contains(name) {
                report(pair.key, "\(path).\(name): '\(name)' is set by the server", hint: "remove it; a user's id goes in 'id', next to 'claims'")
                continue
            }
            if let items = pair.value.items {
                claims[name] = .array(items.compactMap(\.scalar).map(JSONValue.string))
            } else if let text = pair.value.scalar {
                claims[name] = Self.typedScalar(text, plain: pair.value.tag == nil && !pair.value.isQuoted)
            }
        }
        return claims
    }

    private mutating func seconds(_ node: YAMLNode?, path: String, default fallback: Int) -> Int {
        guard let node, let text = node.scalar, let duration = Duration.parse(text) else { return fallback }
        let seconds = Int(duration.components.seconds)
        if seconds < 1 {
            report(node, "\(path): '\(text)' is shorter than one second", hint: "write a lifetime such as 5m or 1h")
        }
        return max(1, seconds)
    }

    private mutating func report(_ node: YAMLNode, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(at: node.location, message, hint: hint))
    }

    /// Unquoted `true`/`false` and whole numbers become JSON booleans and numbers (`email_verified: true`).
    static func typedScalar(_ text: String, plain: Bool) -> JSONValue {
        guard plain else { return .string(text) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let number = Int(text) { return .number(Double(number)) }
        return .string(text)
    }

    /// RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E.
    static func isScopeToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.unicodeScalars.allSatisfy { $0.value == 0x21 || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value) }
    }

    /// A stable Okta-looking user id (`00u` + 17 characters) for a username.
    static func derivedUserID(_ username: String) -> String {
        let digest = SHA256.hash(data: Array(username.utf8))
        return "00u" + digest.map { String(format: "%02x", $0) }.joined().prefix(17)
    }
}

extension YAMLNode {
    /// True for a single- or double-quoted scalar.
    var isQuoted: Bool {
        if case .scalar(_, let style) = value { return style == .singleQuoted || style == .doubleQuoted }
        return false
    }
}
