import AuthFlowCore
import Foundation
import Testing

/// Where the package's files are, found from this file's path.
enum PackageFiles {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}

/// What an editor sees of a YAML file: its JSON under the YAML 1.2 core schema (yaml-language-server's
/// default). `0123` and `+5` are numbers, `true` a boolean, `~` null; quoted scalars stay strings.
/// Duplicate keys are refused, as editors' YAML parsers refuse them.
enum EditorView {
    struct DuplicateKey: Error, CustomStringConvertible {
        let description: String
    }

    static func json(_ node: YAMLNode?) throws -> JSONValue {
        guard let node else { return .null }
        switch node.value {
        case .scalar(let text, let style):
            return style == .plain && node.tag == nil ? resolve(text) : .string(text)
        case .sequence(let items):
            return .array(try items.map(json))
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            for pair in pairs {
                let key = pair.key.scalar ?? ""
                guard members[key] == nil else { throw DuplicateKey(description: "\(pair.key.location): duplicate key '\(key)'") }
                members[key] = try json(pair.value)
            }
            return .object(members)
        }
    }

    /// A plain scalar by the YAML 1.2 core schema's tag resolution.
    static func resolve(_ text: String) -> JSONValue {
        if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
        if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
        if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
        if text.wholeMatch(of: /[-+]?[0-9]+/) != nil, let value = Double(text) { return .number(value) }
        if let hex = text.wholeMatch(of: /0x([0-9a-fA-F]+)/), let value = Int(hex.1, radix: 16) { return .number(Double(value)) }
        if let octal = text.wholeMatch(of: /0o([0-7]+)/), let value = Int(octal.1, radix: 8) { return .number(Double(value)) }
        if text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil, let value = Double(text) { return .number(value) }
        return .string(text)
    }
}

/// An independent JSON Schema validator: Python's `jsonschema` (Draft 7), as editors' validators are independent of authflow.
enum PythonJSONSchema {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit("no jsonschema in this python3: run make test (it installs Tests/requirements.txt into .build/test-venv) or pip install -r Tests/requirements.txt")
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft7Validator.check_schema(schema)
        document = json.load(open(sys.argv[2]))
        errors = jsonschema.Draft7Validator(schema).iter_errors(document)
        print(json.dumps(sorted("/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors)))
        """

    /// The schema's complaints about `document` (empty: valid).
    static func errors(_ document: JSONValue, schema: URL) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("document.json"), output = folder.appendingPathComponent("out"), errors = folder.appendingPathComponent("err")
        try Data(document.serialized().utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, input.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        let text = (try? Data(contentsOf: output)) ?? Data()
        guard process.terminationStatus == 0, let list = try JSONSerialization.jsonObject(with: text) as? [String] else {
            throw Failure(description: "python3 jsonschema failed: " + String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self))
        }
        return list
    }
}
