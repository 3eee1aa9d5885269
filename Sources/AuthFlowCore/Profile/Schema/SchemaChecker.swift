/// Checks located YAML nodes against a `SchemaType`, collecting every problem.
struct SchemaChecker {
    /// Who owns the nodes being checked, for messages: "profile 'prod'", "defaults".
    var owner: String
    /// Whether `key: ~` may unset an optional key (profiles, which inherit).
    var allowsUnset: Bool
    private(set) var diagnostics: [Diagnostic] = []

    init(owner: String, allowsUnset: Bool = false) {
        self.owner = owner
        self.allowsUnset = allowsUnset
    }

    mutating func check(_ node: YAMLNode, as type: SchemaType, path: String) {
        switch type {
        case .string:
            expectText(node, path: path)
        case .integer(let range):
            guard let text = expectText(node, path: path) else { return }
            guard let value = Int(text), node.isPlainScalar else {
                return report(node, located(path, "expected a whole number, found '\(text)'"), hint: "write a number such as \(range.lowerBound)")
            }
            if !range.contains(value) {
                report(node, located(path, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)"), hint: range.count == 1 ? "write \(range.lowerBound)" : nil)
            }
        case .duration:
            guard let text = expectText(node, path: path) else { return }
            if Duration.parse(text) == nil {
                report(node, located(path, "'\(text)' is not a duration"), hint: "write a number with a unit: 500ms, 10s, 2m, 1h")
            }
        case .secret:
            let (secretOwner, key) = split(path)
            if case .failure(let diagnostic) = SecretReference.parse(node, path: key) { diagnostics.append(diagnostic.owned(by: secretOwner)) }
        case .textOrSecret:
            if node.pairs != nil || node.scalar.map(SecretReference.looksLikeReference) == true {
                check(node, as: .secret, path: path)
            } else {
                expectText(node, path: path)
            }
        case .words, .stringOrList:
            if node.items != nil {
                for item in node.items ?? [] { expectText(item, path: path, expected: "a list of strings") }
            } else if node.scalar == nil || node.isNull {
                report(node, located(path, "expected a list of strings, found \(node.kindName)"), hint: "write [a, b] or one string")
            }
        case .stringMap:
            guard let pairs = expectMapping(node, path: path) else { return }
            for pair in pairs {
                expectText(pair.value, path: "\(path).\(pair.key.scalar ?? "?")")
            }
            checkDuplicates(pairs, path: path)
        case .oneOf(let names):
            guard let text = expectText(node, path: path) else { return }
            if !names.contains(text) {
                report(node, located(path, "'\(text)' is not one of \(names.joined(separator: ", "))"), hint: Suggestion.didYouMean(text, in: names))
            }
        case .object(let fields):
            checkObject(node, fields: fields, path: path)
        case .namedMap(let valueType):
            guard let pairs = expectMapping(node, path: path) else { return }
            checkDuplicates(pairs, path: path)
            for pair in pairs {
                check(pair.value, as: valueType, path: "\(path).\(pair.key.scalar ?? "?")")
            }
        case .shorthand(let names, let fields):
            if node.pairs != nil {
                checkObject(node, fields: fields, path: path)
            } else {
                check(node, as: .oneOf(names), path: path)
            }
        }
    }

    private mutating func checkObject(_ node: YAMLNode, fields: [SchemaField], path: String) {
        guard let pairs = expectMapping(node, path: path) else { return }
        checkDuplicates(pairs, path: path)
        let names = fields.map(\.name)
        for pair in pairs {
            guard let key = pair.key.scalar else {
                report(pair.key, located(path, "keys must be strings, found \(pair.key.kindName)"))
                continue
            }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard let field = fields.first(where: { $0.name == key }) else {
                let (keyOwner, within) = split(path)
                let place = within.isEmpty ? keyOwner : "'\(within)' of \(keyOwner)"
                report(pair.key, "unknown key '\(key)' in \(place)",
                       hint: Suggestion.didYouMean(key, in: names) ?? "known keys: \(names.joined(separator: ", "))", length: key.count)
                continue
            }
            // An explicit null on an optional key unsets an inherited value (defaults, extends).
            if pair.value.isNull, !field.required, allowsUnset { continue }
            check(pair.value, as: field.type, path: keyPath)
        }
        for field in fields where field.required && !pairs.contains(where: { $0.key.scalar == field.name }) {
            report(node, located(path, "missing required key '\(field.name)'"), hint: field.summary)
        }
    }

    private mutating func checkDuplicates(_ pairs: [YAMLNode.Pair], path: String) {
        var seen: Set<String> = []
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            if !seen.insert(key).inserted {
                report(pair.key, "duplicate key '\(key)'\(path.isEmpty ? "" : " in '\(path)'")", hint: "remove one of them; YAML keeps only the last", length: key.count)
            }
        }
    }

    @discardableResult
    private mutating func expectText(_ node: YAMLNode, path: String, expected: String = "a string") -> String? {
        guard let text = node.scalar, !node.isNull else {
            report(node, located(path, "expected \(expected), found \(node.kindName)"), hint: node.isNull ? "give it a value, or remove the key" : nil)
            return nil
        }
        return text
    }

    private mutating func expectMapping(_ node: YAMLNode, path: String) -> [YAMLNode.Pair]? {
        guard let pairs = node.pairs else {
            report(node, located(path, "expected a mapping, found \(node.kindName)"), hint: "write 'key: value' lines indented under it")
            return nil
        }
        return pairs
    }

    private mutating func report(_ node: YAMLNode, _ message: String, hint: String? = nil, length: Int = 1) {
        diagnostics.append(Diagnostic(at: node.location, message, hint: hint, length: length))
    }

    /// Who owns `path` and the path within it: `profiles.prod.client.id` → ("profile 'prod'", "client.id").
    private func split(_ path: String) -> (owner: String, key: String) {
        let parts = path.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if parts.first == "profiles", parts.count >= 2 {
            return ("profile '\(parts[1])'", parts.count > 2 ? parts[2] : "")
        }
        if parts.first == "defaults" {
            // Everything after "defaults.", as parts.dropFirst().joined(separator: ".") would give, without the
            // unspecialized generic joined(separator:), whose first use costs runtime type lookups on every call.
            return ("defaults", path.firstIndex(of: ".").map { String(path[path.index(after: $0)...]) } ?? "")
        }
        return (owner, path)
    }

    /// "KEY: PROBLEM (OWNER)" for type errors.
    private func located(_ path: String, _ problem: String) -> String {
        let (owner, key) = split(path)
        return key.isEmpty ? "\(problem) (\(owner))" : "\(key): \(problem) (\(owner))"
    }
}

extension Diagnostic {
    /// The diagnostic with its owner ("profile 'prod'") named in the message.
    func owned(by owner: String) -> Diagnostic {
        var copy = self
        copy.message += " (\(owner))"
        return copy
    }
}

extension YAMLNode {
    /// True for an unquoted scalar without an explicit tag.
    var isPlainScalar: Bool {
        if case .scalar(_, .plain) = value, tag == nil { return true }
        return false
    }
}

extension SecretReference {
    /// True when `text` starts like a secret reference, so a `username` is read as one.
    static func looksLikeReference(_ text: String) -> Bool {
        text == "prompt" || ["env:", "file:", "literal:", "keyring:"].contains(where: text.hasPrefix)
    }
}

/// "Did you mean" suggestions for misspelled keys and names.
enum Suggestion {
    /// A hint naming the closest of `candidates` to `word`, or nil when none is close.
    static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let close = best.1 <= max(1, min(3, best.0.count / 3)) || best.0.hasPrefix(word) || word.hasPrefix(best.0)
        return close ? "did you mean '\(best.0)'?" : nil
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Duration {
    /// Parses `500ms`, `10s`, `2m`, `1h` or whole seconds.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" also ends in "s"; the "ms" case comes first and wins.
            if suffix == "s", number.hasSuffix("m") { continue }
            guard let value = Int64(number), value >= 0, value < 10_000_000 else { return nil }
            return .milliseconds(value * millis)
        }
        guard let seconds = Int64(text), seconds >= 0, seconds < 10_000_000 else { return nil }
        return .seconds(seconds)
    }
}

/// Checks a document against a schema, for files other than profiles (e.g. `authflow serve`'s).
public enum SchemaValidation {
    /// Every problem in `node` measured against `type`; `owner` names it in messages.
    public static func check(_ node: YAMLNode, as type: SchemaType, owner: String) -> [Diagnostic] {
        var checker = SchemaChecker(owner: owner)
        checker.check(node, as: type, path: "")
        return checker.diagnostics
    }
}
