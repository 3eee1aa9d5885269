/// Writes a JSON Schema (draft-07, the newest yaml-language-server reads) from a `SchemaType`,
/// so editors check files by the same rules as the loader: the schema is generated, never kept by hand.
///
/// The JSON view of a YAML file is what an editor sees with the YAML 1.2 core schema: `0123` is a
/// number and `true` a boolean. The loader reads every scalar as text, so a string field accepts
/// numbers and booleans too, and an integer field accepts only a plain whole number.
public struct JSONSchemaGenerator: Sendable {
    /// Whether `key: ~` may unset an optional key (profile files, which inherit; `SchemaChecker.allowsUnset`).
    public var allowsUnset: Bool

    /// A generator; `allowsUnset` must match how the loader checks the file.
    public init(allowsUnset: Bool) {
        self.allowsUnset = allowsUnset
    }

    /// The whole document for a file whose top level is `fields`.
    public func document(for fields: [SchemaField], id: String, title: String, description: String) -> JSONValue {
        var root = objectSchema(fields)
        root["$schema"] = .string("http://json-schema.org/draft-07/schema#")
        root["$id"] = .string(id)
        root["title"] = .string(title)
        root["description"] = .string(description)
        return .object(root)
    }

    /// The schema of one value of `type`, without a field's annotations.
    public func schema(for type: SchemaType) -> [String: JSONValue] {
        switch type {
        case .string:
            return Self.scalar
        case .integer(let range):
            if range.lowerBound == range.upperBound {
                return ["type": .string("integer"), "const": .number(Double(range.lowerBound))]
            }
            return ["type": .string("integer"), "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))]
        case .duration:
            // `Duration.parse`: whole milliseconds/seconds/minutes/hours below 10,000,000, or plain seconds.
            return ["anyOf": .array([
                .object(["type": .string("string"), "pattern": .string("^\\+?0*[0-9]{1,7}(ms|s|m|h)?$")]),
                .object(["type": .string("integer"), "minimum": .number(0), "maximum": .number(9_999_999)]),
            ])]
        case .secret:
            return ["anyOf": .array([.object(Self.secretString), .object(Self.secretCommand)])]
        case .textOrSecret:
            // `SecretReference.looksLikeReference`: text starting like a reference must be a valid one.
            let plain: [String: JSONValue] = ["type": .string("string"), "not": .object(["pattern": .string("^(env:|file:|keyring:|literal:|prompt$)")])]
            return ["anyOf": .array([
                .object(["type": .array([.string("number"), .string("boolean")])]), .object(plain),
                .object(Self.secretString), .object(Self.secretCommand),
            ])]
        case .words, .stringOrList:
            return ["anyOf": .array([.object(Self.scalar), .object(["type": .string("array"), "items": .object(Self.scalar)])])]
        case .stringMap:
            return ["type": .string("object"), "additionalProperties": .object(Self.scalar)]
        case .oneOf(let names):
            return ["enum": .array(names.map(JSONValue.string))]
        case .object(let fields):
            return objectSchema(fields)
        case .namedMap(let valueType):
            return ["type": .string("object"), "additionalProperties": .object(schema(for: valueType))]
        case .shorthand(let names, let fields):
            return ["anyOf": .array([.object(["enum": .array(names.map(JSONValue.string))]), .object(objectSchema(fields))])]
        }
    }

    /// The schema of `field`: its type's, with descriptions, examples and the null that unsets it.
    public func schema(for field: SchemaField) -> [String: JSONValue] {
        var out = schema(for: field.type)
        if !field.suggestions.isEmpty {
            out = ["anyOf": .array([.object(["enum": .array(field.suggestions.map(JSONValue.string))]), .object(out)])]
        }
        if let pattern = field.keyPattern { out["propertyNames"] = .object(["pattern": .string(pattern)]) }
        if field.minEntries > 0 { out["minProperties"] = .number(Double(field.minEntries)) }
        if allowsUnset, !field.required { out = Self.nullable(out) }
        let markdown = field.documentation ?? field.summary
        out["description"] = .string(Self.plainText(markdown))
        out["markdownDescription"] = .string(markdown)
        if !field.examples.isEmpty { out["examples"] = .array(field.examples) }
        if let value = field.defaultValue { out["default"] = value }
        return out
    }

    private func objectSchema(_ fields: [SchemaField]) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        for field in fields { properties[field.name] = .object(schema(for: field)) }
        var out: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties), "additionalProperties": .bool(false)]
        let required = fields.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { out["required"] = .array(required) }
        return out
    }

    /// Any scalar but null: the loader reads it as text.
    static let scalar: [String: JSONValue] = ["type": .array([.string("string"), .string("number"), .string("boolean")])]

    /// `env:NAME`, `file:PATH`, `keyring:SERVICE/ACCOUNT`, `literal:VALUE` or `prompt` (`SecretReference.parse`).
    static let secretString: [String: JSONValue] = [
        "type": .string("string"),
        "pattern": .string("^(env:[A-Za-z_][A-Za-z0-9_]*|file:[\\s\\S]+|keyring:[^/\\x00-\\x1f\\x7f-\\x9f]+/[^\\x00-\\x1f\\x7f-\\x9f]+|literal:[\\s\\S]*|prompt)$"),
        "description": .string("env:NAME, file:PATH, keyring:SERVICE/ACCOUNT, prompt or literal:VALUE"),
    ]

    /// `{command: [program, arg...]}`, run without a shell.
    static let secretCommand: [String: JSONValue] = [
        "type": .string("object"),
        "properties": .object(["command": .object([
            "type": .string("array"), "minItems": .number(1), "items": .object(scalar),
            "description": .string("The program and its arguments, run without a shell; stdout (trimmed) is the secret."),
        ])]),
        "required": .array([.string("command")]),
        "additionalProperties": .bool(false),
    ]

    /// `schema` that also accepts null.
    static func nullable(_ schema: [String: JSONValue]) -> [String: JSONValue] {
        var out = schema
        if case .array(var values)? = out["enum"] {
            values.append(.null)
            out["enum"] = .array(values)
            return out
        }
        if out["const"] == nil {
            switch out["type"] {
            case .string(let type)?:
                out["type"] = .array([.string(type), .string("null")])
                return out
            case .array(let types)?:
                out["type"] = .array(types + [.string("null")])
                return out
            default: break
            }
        }
        if case .array(let branches)? = out["anyOf"], out.count == 1 {
            return ["anyOf": .array(branches + [.object(["type": .string("null")])])]
        }
        return ["anyOf": .array([.object(out), .object(["type": .string("null")])])]
    }

    /// Markdown without backticks and emphasis, for plain `description`.
    static func plainText(_ markdown: String) -> String {
        markdown.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "*", with: "")
    }
}

extension ProfileSchema {
    /// Where the published schema lives; the `$id` of the generated schema and what `authflow init` points editors at.
    public static let schemaURL = "https://raw.githubusercontent.com/authflow/authflow/main/schemas/authflow.schema.json"

    /// The JSON Schema of profile files, as committed in `schemas/authflow.schema.json`.
    public static var jsonSchema: JSONValue {
        JSONSchemaGenerator(allowsUnset: true).document(
            for: file, id: schemaURL, title: "authflow profile file",
            description: "Profiles from which authflow gets OAuth 2.0 / OpenID Connect tokens (authflow.yaml).")
    }

    /// `jsonSchema` as the committed file's text: indented, keys sorted, a trailing newline.
    public static var jsonSchemaText: String { jsonSchema.serialized(pretty: true) + "\n" }
}
