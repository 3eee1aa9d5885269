import Foundation

extension ProfileFile {
    /// What the file would make authflow do, for a user deciding whether to trust it: where it
    /// sends token requests, every secret source and command it names, the environment variables
    /// it reads, the CA files it trusts and the client certificates it presents. Nothing is
    /// resolved and no variable is expanded (an untrusted file must not get `${SECRET}` printed);
    /// the file's text is shown with control characters removed, since whoever wrote it may also
    /// have written escape sequences.
    public func trustSummary() -> String {
        var endpoints: [(String, [String])] = []
        var caFiles: [(String, [String])] = [], certificates: [(String, [String])] = []
        for name in profileNames {
            Self.add(writtenTokenSource(of: name), for: name, to: &endpoints)
            if let caFile = writtenPath(["tls", "ca_file"], in: name) { Self.add(caFile, for: name, to: &caFiles) }
            if let certificate = writtenPath(["tls", "client_cert"], in: name) { Self.add(certificate, for: name, to: &certificates) }
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

    /// Profile `name` built from the file's text as written, no variable expanded: what may be
    /// shown of a file that is not trusted. nil when a value it needs holds a `${VAR}`.
    public func profileAsWritten(named name: String) -> Profile? {
        guard let entry = merged[name] else { return nil }
        var builder = ProfileBuilder(name: name, nameLocation: entry.nameLocation, directory: directory, expander: VariableExpander(environment: nil))
        guard let profile = builder.build(entry.node), builder.diagnostics.isEmpty else { return nil }
        return profile
    }

    /// Where profile `name` gets tokens, from the text as written: the token endpoint when no
    /// variable is involved, else the key and its text (`domain: ${HOST}`).
    public func writtenTokenSource(of name: String) -> String {
        if let profile = profileAsWritten(named: name) {
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

    /// The path at `keys` in profile `name`, absolute when it has no variable, else as written.
    private func writtenPath(_ keys: [String], in name: String) -> String? {
        var node = merged[name]?.node
        for key in keys { node = node?[key] }
        guard let text = node?.scalar, !(node?.isNull ?? true) else { return nil }
        guard VariableExpander.names(in: text).isEmpty else { return text }
        return SecretResolver(environment: [:], baseDirectory: directory).absolutePath(text.replacingOccurrences(of: "$${", with: "${"))
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
