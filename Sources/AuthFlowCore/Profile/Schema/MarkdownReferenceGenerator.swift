/// Writes a Markdown reference of a file's keys from its `SchemaField`s, the schema the loader checks
/// files against: `docs/reference/profile.md` is this text, so the documentation cannot describe a
/// key the loader does not know, or miss one it does.
public struct MarkdownReferenceGenerator: Sendable {
    /// Where a `.secret` type's link points: a heading of the same page.
    public var secretAnchor: String

    /// A generator whose secret types link to `secretAnchor` (`#secret-references`).
    public init(secretAnchor: String) {
        self.secretAnchor = secretAnchor
    }

    /// Every key of `fields` with its dotted path, depth first; `recursive` also lists the keys of
    /// mappings with known keys (`client.secret`), never those of named maps.
    public func entries(_ fields: [SchemaField], prefix: String, recursive: Bool) -> [(path: String, field: SchemaField)] {
        fields.flatMap { field -> [(path: String, field: SchemaField)] in
            let path = prefix + field.name
            guard recursive else { return [(path, field)] }
            switch field.type {
            case .object(let inner), .shorthand(_, let inner):
                return [(path, field)] + entries(inner, prefix: path + ".", recursive: true)
            default:
                return [(path, field)]
            }
        }
    }

    /// A table of the keys (each linked to its section), then one section per key.
    public func section(_ fields: [SchemaField], prefix: String, recursive: Bool) -> String {
        let all = entries(fields, prefix: prefix, recursive: recursive)
        var out = "| key | type | meaning |\n|---|---|---|\n"
        for (path, field) in all {
            let anchor = MarkdownReferenceGenerator.slug("`\(path)`")
            out += "| [`\(path)`](#\(anchor)) | \(Self.cell(typeName(field.type))) | \(Self.cell(field.summary)) |\n"
        }
        for (path, field) in all {
            out += "\n### `\(path)`\n\n" + (field.documentation ?? field.summary) + "\n\n"
            out += details(field).map { "- \($0)\n" }.joined()
        }
        return out
    }

    /// The facts under a key's description: type, required, default, suggestions, examples.
    func details(_ field: SchemaField) -> [String] {
        var out = ["Type: " + typeName(field.type)]
        if field.required { out.append("Required.") }
        if let value = field.defaultValue { out.append("Default: " + Self.code(value)) }
        if !field.suggestions.isEmpty {
            out.append("Suggested values (others are accepted): " + field.suggestions.map { "`\($0)`" }.joined(separator: ", "))
        }
        if let pattern = field.keyPattern { out.append("Names match `\(pattern)`") }
        if field.minEntries > 0 { out.append("At least \(field.minEntries) \(field.minEntries == 1 ? "entry" : "entries")") }
        if !field.examples.isEmpty { out.append("Examples: " + field.examples.map(Self.code).joined(separator: ", ")) }
        return out
    }

    /// The shape of a value, in words.
    public func typeName(_ type: SchemaType) -> String {
        switch type {
        case .string: return "text"
        case .integer(let range):
            return range.lowerBound == range.upperBound ? "the integer \(range.lowerBound)" : "integer from \(range.lowerBound) to \(range.upperBound)"
        case .duration: return "duration (`500ms`, `10s`, `2m`, `1h`, or whole seconds)"
        case .secret: return "[secret reference](#\(secretAnchor))"
        case .textOrSecret: return "text, or a [secret reference](#\(secretAnchor))"
        case .words: return "list of strings, or one space-separated string"
        case .stringOrList: return "string, or list of strings"
        case .stringMap: return "mapping of names to text"
        case .oneOf(let names): return "one of " + names.map { "`\($0)`" }.joined(separator: ", ")
        case .object: return "mapping (keys below)"
        case .namedMap(let value): return "mapping of names to: " + typeName(value)
        case .shorthand(let names, _):
            return "a name (" + names.map { "`\($0)`" }.joined(separator: ", ") + "), or a mapping (keys below)"
        }
    }

    /// GitHub's anchor for a heading: lower case; letters, digits, `-`, `_` and spaces kept, spaces
    /// turned into `-`, everything else dropped.
    public static func slug(_ heading: String) -> String {
        var out = ""
        for scalar in heading.lowercased().unicodeScalars {
            if scalar == " " {
                out += "-"
            } else if scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A value as inline code: strings as written, anything else as compact JSON (also valid YAML).
    static func code(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "`\(text)`" }
        return "`\(value.serialized())`"
    }

    /// Text that fits a table cell: pipes escaped, one line.
    static func cell(_ text: String) -> String {
        text.replacingScalarOccurrences(of: "|", with: "\\|").replacingScalarOccurrences(of: "\n", with: " ")
    }
}

extension ProfileSchema {
    /// `docs/reference/profile.md`: every key of the profile file, from the loader's own schema.
    public static var markdownReference: String {
        let generator = MarkdownReferenceGenerator(secretAnchor: "secret-references")
        return """
            # Profile file reference

            <!-- Generated from ProfileSchema (Sources/AuthFlowCore/Profile/Schema/ProfileSchema.swift); do not edit.
                 Regenerate: AUTHFLOW_UPDATE_DOCS=1 swift test --filter ProfileReferenceTests -->

            Every key of a profile file (`authflow.yaml`), generated from the schema the loader checks files
            against — the same schema `schemas/authflow.schema.json` is generated from — so this page lists
            exactly what authflow accepts. For a walk-through, see [Writing profiles](../guides/profiles.md).

            Merging: `defaults`, then the `extends` chain, then the profile; mappings merge key by key,
            scalars and lists replace, and `key: ~` (null) unsets an inherited key.

            ## Top level

            \(generator.section(file, prefix: "", recursive: false))
            ## Profile keys

            The keys of each profile under `profiles:`. `defaults:` takes the same keys except `extends`.

            \(generator.section(profile, prefix: "", recursive: true))
            ## Output formats

            Each entry under `formats:` defines a format for `authflow token PROFILE --format NAME`.

            \(generator.section(userFormat, prefix: "formats.NAME.", recursive: false))
            ## Secret references

            \(secretForms)

            """
    }

    /// The keys of one `formats:` entry.
    static var userFormat: [SchemaField] {
        for field in file where field.name == "formats" {
            if case .namedMap(.object(let fields)) = field.type { return fields }
        }
        return []
    }
}
