extension SecretReference {
    /// Parses the reference at `node`; `path` names the field (`client.secret`) in messages.
    public static func parse(_ node: YAMLNode, path: String) -> Result<SecretReference, Diagnostic> {
        if let pairs = node.pairs {
            guard pairs.count == 1, let pair = pairs.first, pair.key.scalar == "command" else {
                return .failure(Diagnostic(at: node.location, "\(path): a mapping here must have exactly one key, 'command'", hint: formsHint))
            }
            guard let items = pair.value.items, !items.isEmpty else {
                return .failure(Diagnostic(at: pair.value.location, "\(path).command: expected a non-empty list of strings, found \(pair.value.kindName)", hint: "command: [pass, show, okta/client-secret]"))
            }
            var argv: [String] = []
            for item in items {
                guard let text = item.scalar, !item.isNull else {
                    return .failure(Diagnostic(at: item.location, "\(path).command: expected a string, found \(item.kindName)", hint: "each argument is one string"))
                }
                argv.append(text)
            }
            return .success(.command(argv))
        }
        guard let text = node.scalar, !node.isNull else {
            return .failure(Diagnostic(at: node.location, "\(path): expected a secret reference, found \(node.kindName)", hint: formsHint))
        }
        if text == "prompt" { return .success(.prompt) }
        if let name = text.dropPrefix("env:") {
            guard name.isValidVariableName else {
                return .failure(Diagnostic(at: node.location, "\(path): '\(name)' is not an environment variable name", hint: "names are letters, digits and '_', not starting with a digit"))
            }
            return .success(.env(name))
        }
        if let filePath = text.dropPrefix("file:") {
            guard !filePath.isEmpty else {
                return .failure(Diagnostic(at: node.location, "\(path): 'file:' needs a path", hint: "file:~/.config/okta/secret"))
            }
            return .success(.file(filePath))
        }
        if let name = text.dropPrefix("keyring:") {
            if let problem = KeychainItemName.problem(name) {
                return .failure(Diagnostic(at: node.location, "\(path): 'keyring:' \(problem)", hint: "write keyring:SERVICE/ACCOUNT, such as \(KeychainItemName.example)"))
            }
            return KeychainItemName(name).map { .success(.keyring($0)) }
                ?? .failure(Diagnostic(at: node.location, "\(path): 'keyring:' needs SERVICE/ACCOUNT", hint: "write keyring:SERVICE/ACCOUNT, such as \(KeychainItemName.example)"))
        }
        if let value = text.dropPrefix("literal:") {
            return .success(.literal(Secret(value)))
        }
        // Never quote the value: a bare value here is most likely the secret itself.
        var diagnostic = Diagnostic(at: node.location, "\(path): a bare value is not allowed in a secret field", hint: formsHint, length: text.count)
        diagnostic.masksSource = true
        return .failure(diagnostic)
    }
}
