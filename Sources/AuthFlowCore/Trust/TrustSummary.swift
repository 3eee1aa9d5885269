import Foundation

extension ProfileFile {
    /// What the file would make authflow do, for a user deciding whether to trust it: where it
    /// sends token requests, every secret source and command it names, the environment variables
    /// it reads, the CA files it trusts and the client certificates it presents. Nothing is resolved; the file's text is shown with
    /// control characters removed, since whoever wrote it may also have written escape sequences.
    public func trustSummary(environment: [String: String]) -> String {
        var endpoints: [(String, [String])] = []
        var caFiles: [(String, [String])] = [], certificates: [(String, [String])] = []
        for name in profileNames {
            Self.add(tokenEndpoint(of: name, environment: environment), for: name, to: &endpoints)
            guard let profile = try? profile(named: name, environment: environment) else { continue }
            if let caFile = profile.caFile { Self.add(caFile, for: name, to: &caFiles) }
            if let certificate = profile.clientCertificate { Self.add(certificate.chainFile, for: name, to: &certificates) }
        }
        var secrets: [String] = [], commands: [String] = []
        for (path, node) in ProfileReview.secretFields(root, as: .object(ProfileSchema.file), path: []) {
            guard case .success(let reference) = SecretReference.parse(node, path: path.joined(separator: ".")) else { continue }
            let (key, owner) = ProfileReview.describe(path)
            let line = "\(reference) (\(owner): \(key))"
            if case .command = reference { commands.append(line) } else { secrets.append(line) }
        }
        let variables = root.variableNames

        var out = "\(path) would, once trusted:\n"
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += "  \(title):\n" + lines.map { "    \($0.sanitizedForTerminal())\n" }.joined()
        }
        section("send token requests to", endpoints.map { "\($0.0) (\(Self.naming($0.1)))" })
        section("read secrets from", secrets)
        section("run commands", commands)
        section("read environment variables", variables.isEmpty ? [] : [variables.joined(separator: ", ")])
        section("trust the CA certificates in", caFiles.map { "\($0.0) (\(Self.naming($0.1)))" })
        section("present the TLS client certificate in", certificates.map { "\($0.0) (\(Self.naming($0.1)))" })
        return out
    }

    /// Where profile `name` gets tokens, as the user will see it; the text as written when it
    /// cannot be worked out now (a variable that is not set).
    private func tokenEndpoint(of name: String, environment: [String: String]) -> String {
        if let profile = try? profile(named: name, environment: environment) {
            switch profile.source {
            case .okta(let base, let server): return Endpoints.okta(base: base, authServer: server).token.absoluteString
            case .issuer(let issuer): return "issuer \(issuer.absoluteString), whose discovery document names the token endpoint"
            case .tokenURL(let url, _): return url.absoluteString
            }
        }
        let node = merged[name]?.node
        for key in ["token_url", "issuer", "domain"] {
            if let text = node?[key]?.scalar { return "\(key): \(text)" }
        }
        return "(no token source)"
    }

    private static func add(_ item: String, for profile: String, to list: inout [(String, [String])]) {
        if let index = list.firstIndex(where: { $0.0 == item }) {
            list[index].1.append(profile)
        } else {
            list.append((item, [profile]))
        }
    }

    /// "profile 'a'" / "profiles 'a', 'b'".
    private static func naming(_ profiles: [String]) -> String {
        "profile\(profiles.count == 1 ? "" : "s") " + profiles.map { "'\($0)'" }.joined(separator: ", ")
    }
}

extension YAMLNode {
    /// The `${VAR}` names in every scalar of this node, keys included: each once, in order of first use.
    var variableNames: [String] {
        var names: [String] = []
        for name in allVariableReferences where !names.contains(name) { names.append(name) }
        return names
    }

    private var allVariableReferences: [String] {
        switch value {
        case .scalar(let text, _): VariableExpander.names(in: text)
        case .sequence(let items): items.flatMap(\.allVariableReferences)
        case .mapping(let pairs): pairs.flatMap { $0.key.allVariableReferences + $0.value.allVariableReferences }
        }
    }
}
