/// Where a secret comes from (docs/guides/profiles.md, "Secrets"). Never holds a resolved value,
/// except `literal:`, whose value the user wrote out on purpose and which prints redacted.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// `env:NAME`
    case env(String)
    /// `file:PATH`, relative to the profile file's folder; `~` expands.
    case file(String)
    /// `command: [argv...]`, run without a shell.
    case command([String])
    /// `prompt`: asked on the terminal with echo off.
    case prompt
    /// `literal:VALUE`
    case literal(Secret)

    /// The forms a user may write, for hints.
    public static let formsHint = "write env:NAME, file:PATH, prompt, literal:VALUE, or a mapping 'command: [program, arg...]'"

    /// The reference as written, with a literal's value redacted; safe for cache keys and messages.
    public var description: String {
        switch self {
        case .env(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .command(let argv): "command: [\(argv.joined(separator: ", "))]"
        case .prompt: "prompt"
        case .literal: "literal:<redacted>"
        }
    }

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
        if let value = text.dropPrefix("literal:") {
            return .success(.literal(Secret(value)))
        }
        // Never quote the value: a bare value here is most likely the secret itself.
        var diagnostic = Diagnostic(at: node.location, "\(path): a bare value is not allowed in a secret field", hint: formsHint, length: text.count)
        diagnostic.masksSource = true
        return .failure(diagnostic)
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    /// True for a POSIX-style variable name: `^[A-Za-z_][A-Za-z0-9_]*$`.
    var isValidVariableName: Bool {
        guard let first = unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
