import AuthFlowCore

/// A profile file given as text, read as authflow reads one: parsed, merged, checked and built.
enum ProfileText {
    /// The profile `name` of `text`, as if the file were at `path`.
    static func profile(_ text: String, named name: String = "p", path: String = "/tmp/f", environment: [String: String] = [:]) throws -> Profile {
        let parsed = try YAMLLoader().parse(Array(text.utf8), file: "f")
        return try ProfileFile(root: parsed.root, source: parsed.source, path: path).profile(named: name, environment: environment)
    }
}
