import AuthFlowCore
import Foundation
import Testing

/// The loader and `schemas/authflow.schema.json`, checked by an independent validator (Python's
/// `jsonschema`), agree on every fixture and example: both accept the valid ones, both reject the
/// structural failures, and the schema accepts the semantic-only ones (which it cannot see).
///
/// Structural: YAML syntax, duplicate keys, unknown keys, wrong types, missing required keys, bad
/// secret references, profile names, out-of-range values. Rejected as the user types.
/// Semantic-only: rules across keys or after merging `defaults` and `extends` (token sources, grant
/// settings, cycles, variables, URLs, grants this build cannot run). Only `authflow validate` sees them.
@Suite struct SchemaAgreementTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("profiles")
    static let schema = PackageFiles.url("schemas/authflow.schema.json")

    /// Invalid fixtures the schema rejects too, and why it can.
    static let structural: [String: String] = [
        "bad-name.yaml": "profile names: propertyNames pattern",
        "bad-username-reference.yaml": "text starting like a reference must be a valid one",
        "bare-secret.yaml": "secret fields: reference pattern",
        "duplicate-key.yaml": "editors' YAML parsers refuse duplicate keys",
        "empty.yaml": "an empty document is null, not a mapping",
        "empty-profiles.yaml": "profiles: minProperties 1",
        "many-problems.yaml": "unknown key, whole number, duration pattern, grant enum",
        "missing-version.yaml": "version is required",
        "null-in-list.yaml": "list items are scalars, not null",
        "null-version.yaml": "required keys cannot be unset",
        "quoted-number.yaml": "a quoted number is a string; the duration pattern",
        "secret-command-empty.yaml": "command: minItems 1",
        "syntax.yaml": "not YAML at all",
        "tls-client-key-bare.yaml": "tls.client_key is a secret field: reference pattern",
        "unknown-key.yaml": "additionalProperties: false",
        "version.yaml": "version: const 1",
        "wrong-type.yaml": "scopes: a string or a list",
    ]

    /// Invalid fixtures only the loader rejects, and why the schema cannot.
    static let semanticOnly: [String: String] = [
        "bad-prefix.yaml": "output.prefix may hold ${VAR}, known only at run time",
        "bad-variable.yaml": "${VAR} syntax inside strings",
        "cycle.yaml": "extends chains span profiles",
        "extends-unknown.yaml": "extends names another profile",
        "grant-key-mismatch.yaml": "grant keys depend on the merged grant type",
        "no-source.yaml": "the token source may come from defaults or extends",
        "password-missing.yaml": "grant keys may come from defaults or extends",
        "plain-http.yaml": "URL rules apply after ${VAR} expansion",
        "reserved-param.yaml": "the parameters authflow sets itself are a builder rule, not part of the schema model",
        "secret-needed.yaml": "client.auth and client.secret may come from different places",
        "tls-client-auth.yaml": "client.auth, client.secret and the tls keys may come from different places",
        "two-sources.yaml": "a profile may unset an inherited source with ~",
    ]

    static func names(_ kind: String) -> [String] {
        guard let folder = fixtures?.appendingPathComponent(kind),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Errors of the schema for the file, or a YAML-level refusal.
    static func schemaErrors(_ url: URL, schema: URL = schema) throws -> [String] {
        let root: YAMLNode?
        do {
            root = try YAMLLoader().load(contentsOf: url.path).root
        } catch let error as DiagnosticsError {
            return error.diagnostics.map(\.message)
        }
        do {
            return try PythonJSONSchema.errors(try EditorView.json(root), schema: schema)
        } catch let duplicate as EditorView.DuplicateKey {
            return [duplicate.description]
        }
    }

    @Test("valid fixtures: the loader and the schema both accept", arguments: names("valid"))
    func validFixture(name: String) throws {
        let url = try #require(Self.fixtures).appendingPathComponent("valid/\(name)")
        _ = try ProfileFile.load(path: url.path)
        #expect(try Self.schemaErrors(url) == [])
    }

    @Test("invalid fixtures: the schema rejects exactly the structural ones", arguments: names("invalid"))
    func invalidFixture(name: String) throws {
        let url = try #require(Self.fixtures).appendingPathComponent("invalid/\(name)")
        #expect(throws: (any Error).self, "the loader must reject \(name)") { try ProfileFile.load(path: url.path) }
        let errors = try Self.schemaErrors(url)
        if Self.structural[name] != nil {
            #expect(!errors.isEmpty, "\(name) is structural but the schema accepts it")
        } else if Self.semanticOnly[name] != nil {
            #expect(errors.isEmpty, "\(name) is listed as semantic-only but the schema rejects it: \(errors); move it to `structural`")
        } else {
            Issue.record("classify \(name) in SchemaAgreementTests: structural (the schema rejects it: \(errors)) or semanticOnly")
        }
    }

    @Test("examples/authflow.yaml: the loader and the schema both accept")
    func profileExample() throws {
        let url = PackageFiles.url("examples/authflow.yaml")
        _ = try ProfileFile.load(path: url.path)
        #expect(try Self.schemaErrors(url) == [])
    }

    @Test("examples/serve.yaml: schemas/serve.schema.json accepts it (its loader is checked in AuthFlowServerTests)")
    func serveExample() throws {
        let url = PackageFiles.url("examples/serve.yaml")
        #expect(try Self.schemaErrors(url, schema: PackageFiles.url("schemas/serve.schema.json")) == [])
    }

    @Test("the editor view of YAML follows the 1.2 core schema")
    func editorView() throws {
        let (root, _) = try YAMLLoader().parse(Array("a: 0123\nb: 'x'\nc: yes\nd: ~\ne: [true, 1.5, 0x1F]\n".utf8), file: "t")
        #expect(try EditorView.json(root) == .object([
            "a": .number(123), "b": .string("x"), "c": .string("yes"), "d": .null,
            "e": .array([.bool(true), .number(1.5), .number(31)]),
        ]))
    }
}
