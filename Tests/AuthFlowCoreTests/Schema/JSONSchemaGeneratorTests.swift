import AuthFlowCore
import Foundation
import Testing

/// `schemas/authflow.schema.json` is generated from `ProfileSchema`, the loader's own schema, so a key
/// the loader learns is a key the schema has; the committed file must equal the generated one.
/// Regenerate: `AUTHFLOW_UPDATE_SCHEMA=1 swift test --filter JSONSchemaGeneratorTests` (or `authflow schema`).
@Suite struct JSONSchemaGeneratorTests {
    static let generator = JSONSchemaGenerator(allowsUnset: true)

    @Test("the committed schemas/authflow.schema.json is the generated one")
    func committedFileIsGenerated() throws {
        try PackageFiles.expectGenerated("schemas/authflow.schema.json", ProfileSchema.jsonSchemaText,
                                         variable: "AUTHFLOW_UPDATE_SCHEMA", regenerate: "swift test --filter JSONSchemaGeneratorTests")
    }

    /// Every key of the loader's schema, with its path: `profiles.*.client.secret`.
    static func keyPaths(_ fields: [SchemaField], prefix: String) -> [String] {
        fields.flatMap { field -> [String] in
            let path = prefix + field.name
            switch field.type {
            case .object(let inner): return [path] + keyPaths(inner, prefix: path + ".")
            case .shorthand(_, let inner): return [path] + keyPaths(inner, prefix: path + ".")
            case .namedMap(.object(let inner)): return [path] + keyPaths(inner, prefix: path + ".*.")
            default: return [path]
            }
        }
    }

    /// The same paths read back from the generated JSON Schema.
    static func keyPaths(_ schema: JSONValue, prefix: String) -> [String] {
        var out: [String] = []
        let branches: [JSONValue] = [schema] + (schema["anyOf"].flatMap { if case .array(let items) = $0 { items } else { nil } } ?? [])
        for branch in branches {
            for (name, value) in branch["properties"]?.object ?? [:] {
                out.append(prefix + name)
                out += keyPaths(value, prefix: prefix + name + ".")
            }
            if let named = branch["additionalProperties"], named.object != nil, named["properties"] != nil {
                out += keyPaths(named, prefix: prefix + "*.")
            }
        }
        return out
    }

    @Test("every key the loader knows is in the JSON Schema, with a description, and no other")
    func everyKeyIsDescribed() throws {
        let schema = ProfileSchema.jsonSchema
        let loaderKeys = Set(Self.keyPaths(ProfileSchema.file, prefix: ""))
        let schemaKeys = Set(Self.keyPaths(schema, prefix: "").filter { !$0.contains(".command") })
        #expect(loaderKeys == schemaKeys, "only in the loader: \(loaderKeys.subtracting(schemaKeys).sorted()); only in the schema: \(schemaKeys.subtracting(loaderKeys).sorted())")
        #expect(loaderKeys.contains("profiles.*.grant.password") && loaderKeys.contains("defaults.client.secret"))
        for field in ProfileSchema.profile {
            let property = schema["properties"]?["profiles"]?["additionalProperties"]?["properties"]?[field.name]
            #expect(property?["description"]?.string?.isEmpty == false, "\(field.name) has no description")
            #expect(property?["markdownDescription"]?.string?.isEmpty == false, "\(field.name) has no markdownDescription")
        }
    }

    @Test("optional keys accept null (key: ~ unsets an inherited value); required keys and the serve file's do not")
    func nulls() {
        let optional = Self.generator.schema(for: SchemaField("timeout", .duration, "t"))
        #expect(optional["anyOf"].map { "\($0)" }?.contains("null") == true)
        let required = Self.generator.schema(for: SchemaField("version", .integer(1...1), "v", required: true))
        #expect(required["const"] == .number(1) && required["anyOf"] == nil)
        let enumeration = Self.generator.schema(for: SchemaField("auth", .oneOf(["a", "b"]), "x"))
        #expect(enumeration["enum"] == .array([.string("a"), .string("b"), .null]))
        let serve = JSONSchemaGenerator(allowsUnset: false).schema(for: SchemaField("audience", .string, "x"))
        #expect(serve["type"] == .array([.string("string"), .string("number"), .string("boolean")]))
    }

    @Test("unknown keys are refused where the loader refuses them; stringMap keys are free")
    func additionalProperties() {
        let schema = ProfileSchema.jsonSchema
        let profile = schema["properties"]?["profiles"]?["additionalProperties"]
        #expect(schema["additionalProperties"] == .bool(false))
        #expect(profile?["additionalProperties"] == .bool(false))
        #expect(profile?["properties"]?["params"]?["additionalProperties"]?["type"] != nil)
        #expect(schema["properties"]?["profiles"]?["propertyNames"]?["pattern"] == .string(ProfileSchema.profileNamePattern))
    }

    @Test("enums: grant types, client authentication methods; auth_server suggests org and default")
    func enums() {
        let profile = ProfileSchema.jsonSchema["properties"]?["profiles"]?["additionalProperties"]?["properties"]
        let text = profile.map { $0.serialized() } ?? ""
        for name in ProfileSchema.grantTypes + ProfileSchema.clientAuthMethods { #expect(text.contains("\"\(name)\"")) }
        #expect(profile?["auth_server"]?["anyOf"].map { $0.serialized().contains("[\"org\",\"default\"]") } == true)
    }

    @Test("the profile name pattern and ProfileFile.isValidName agree", arguments: [
        "prod", "a", "0", ".base", "dev-1.2_x", "", ".", "..a", "-a", "_a", "a b", "pr/od", "é", ".-", "A9.z",
    ])
    func profileNamePattern(name: String) throws {
        let regex = try NSRegularExpression(pattern: ProfileSchema.profileNamePattern)
        let matches = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        #expect(matches == ProfileFile.isValidName(name), "'\(name)': pattern \(matches), isValidName \(ProfileFile.isValidName(name))")
    }
}
