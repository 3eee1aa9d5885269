public import Foundation

/// A loaded and validated profile file. Loading checks every profile and reports every
/// problem at once; `profile(named:environment:)` then expands variables for the one in use.
public struct ProfileFile: Sendable {
    /// The file as the user named it, for messages.
    public let path: String
    /// The file's folder, where relative paths start.
    public let directory: String
    /// The file's text.
    public let source: String
    /// Usable profile names (not templates), in file order.
    public let profileNames: [String]
    /// The file's user-defined output formats, by name.
    public let formats: [String: TemplateWriter]
    /// The parsed document.
    let root: YAMLNode
    /// Each usable profile merged with its `extends` chain and `defaults`, and where its name is.
    let merged: [String: (node: YAMLNode, nameLocation: SourceLocation)]

    /// Loads and validates the file at `path`; throws `DiagnosticsError` listing every problem.
    public static func load(path: String) throws -> ProfileFile {
        try ProfileFile(bytes: read(path: path), path: path)
    }

    /// The file's exact bytes, read once: what a caller may check (hash) before they are parsed.
    public static func read(path: String) throws -> [UInt8] {
        try YAMLLoader().bytes(contentsOf: path)
    }

    /// Parses and validates `bytes`, the contents of the file at `path`.
    public init(bytes: [UInt8], path: String) throws {
        let (root, source) = try YAMLLoader().parse(bytes, file: path)
        try self.init(root: root, source: source, path: path)
    }

    /// Validates a parsed document; `path` names it in messages.
    public init(root: YAMLNode?, source: String, path: String) throws {
        self.path = path
        self.source = source
        directory = ProfileFile.directory(of: path)
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let root, !root.isNull else {
            throw DiagnosticsError([Diagnostic(at: start, "the file is empty", hint: "start with: version: 1, then a profiles: mapping (see authflow init)")], source: source)
        }
        var checker = SchemaChecker(owner: "the top level", allowsUnset: true)
        checker.check(root, as: .object(ProfileSchema.file), path: "")
        var diagnostics = checker.diagnostics
        var merged: [String: (node: YAMLNode, nameLocation: SourceLocation)] = [:]
        var names: [String] = []

        let profiles = root["profiles"]?.pairs ?? []
        if let node = root["profiles"], node.pairs?.isEmpty == true {
            diagnostics.append(Diagnostic(at: node.location, "profiles: at least one profile is needed", hint: "add a profile under profiles:"))
        }
        let defaults = root["defaults"].flatMap { $0.pairs != nil ? $0 : nil }
        let byName = Dictionary(profiles.compactMap { pair in pair.key.scalar.map { ($0, pair) } }, uniquingKeysWith: { _, last in last })
        for pair in profiles {
            guard let name = pair.key.scalar else { continue }
            if !ProfileFile.isValidName(name) {
                diagnostics.append(Diagnostic(at: pair.key.location, "'\(name)' is not a valid profile name", hint: "names match [A-Za-z0-9][A-Za-z0-9._-]*; a leading '.' marks a template", length: name.count))
                continue
            }
            guard pair.value.pairs != nil else { continue }
            var chain = ExtendsResolver(profiles: byName)
            guard let node = chain.resolve(name) else {
                diagnostics += chain.diagnostics
                continue
            }
            let full = YAMLNode.profile(node, over: defaults)
            if name.hasPrefix(".") { continue }
            names.append(name)
            merged[name] = (full, pair.key.location)
            var builder = ProfileBuilder(name: name, nameLocation: pair.key.location, directory: directory, expander: VariableExpander(environment: nil))
            _ = builder.build(full)
            diagnostics += builder.diagnostics
        }
        let userFormats = UserFormats.parse(root["formats"])
        diagnostics += userFormats.diagnostics
        if let version = root["version"], let text = version.scalar, let number = Int(text), number != 1 {
            diagnostics.removeAll { $0.location == version.location }
            diagnostics.append(Diagnostic(at: version.location, "version \(number) is not supported; this authflow reads version 1", hint: "upgrade authflow, or write version: 1"))
        }
        if !diagnostics.isEmpty {
            var seen: Set<Diagnostic> = []
            let unique = diagnostics.filter { seen.insert($0).inserted }.sorted { $0.location < $1.location }
            throw DiagnosticsError(unique, source: source)
        }
        profileNames = names
        formats = userFormats.formats
        self.root = root
        self.merged = merged
    }

    /// The profile `name` with variables from `environment` expanded.
    public func profile(named name: String, environment: [String: String]) throws -> Profile {
        guard let entry = merged[name] else {
            let hint = Suggestion.didYouMean(name, in: profileNames) ?? "profiles in \(path): \(profileNames.joined(separator: ", "))"
            throw AuthFlowError(.noInput, "no profile named '\(name)' in \(path)", hint: hint)
        }
        var builder = ProfileBuilder(name: name, nameLocation: entry.nameLocation, directory: directory, expander: VariableExpander(environment: environment))
        guard let profile = builder.build(entry.node), builder.diagnostics.isEmpty else {
            throw DiagnosticsError(builder.diagnostics, source: source)
        }
        return profile
    }

    /// The absolute folder of the file at `path`, where its relative paths start.
    static func directory(of path: String) -> String {
        let absolute = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        // One realpath(3) resolves what standardizingPath does (symbolic links, `.`, `..`) without
        // its lstat per component; it needs the folder to exist, which a file's folder does.
        if let resolved = realpath(folder, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return (folder as NSString).standardizingPath
    }

    /// The writer for `--format name`: a built-in format or one of the file's `formats`.
    public func writer(named name: String) -> (any OutputWriter)? {
        OutputFormats.named(name) ?? formats[name]
    }

    /// True for `[A-Za-z0-9][A-Za-z0-9._-]*`, with one optional leading `.` for templates (`ProfileSchema.profileNamePattern`).
    public static func isValidName(_ name: String) -> Bool {
        let body = name.hasPrefix(".") ? name.dropFirst() : Substring(name)
        guard let first = body.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return body.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

/// Follows `extends` chains, merging ancestors under descendants, and reports cycles.
struct ExtendsResolver {
    let profiles: [String: YAMLNode.Pair]
    var diagnostics: [Diagnostic] = []

    init(profiles: [String: YAMLNode.Pair]) { self.profiles = profiles }

    mutating func resolve(_ name: String, visiting: [String] = []) -> YAMLNode? {
        guard let pair = profiles[name], pair.value.pairs != nil else { return nil }
        let node = pair.value.removing(key: "extends")
        // `extends: ~` unsets an inherited value like any other key: no parent.
        guard let extendsNode = pair.value["extends"], !extendsNode.isNull else { return node }
        guard let parent = extendsNode.scalar, !extendsNode.isNull else { return nil }
        if parent == name || visiting.contains(parent) {
            let cycle = (visiting + [name, parent]).drop(while: { $0 != parent }).joined(separator: " -> ")
            diagnostics.append(Diagnostic(at: extendsNode.location, "extends: cycle \(cycle)", hint: "a profile cannot inherit from itself, directly or through others", length: parent.count))
            return nil
        }
        guard profiles[parent] != nil else {
            diagnostics.append(Diagnostic(at: extendsNode.location, "extends: no profile named '\(parent)'", hint: Suggestion.didYouMean(parent, in: Array(profiles.keys)) ?? "profiles: \(profiles.keys.sorted().joined(separator: ", "))", length: parent.count))
            return nil
        }
        guard let base = resolve(parent, visiting: visiting + [name]) else { return nil }
        return YAMLNode.merge(base: base, over: node)
    }
}

extension YAMLNode {
    /// `over` on top of `base`: mappings merge key by key, scalars and lists replace.
    static func merge(base: YAMLNode, over: YAMLNode) -> YAMLNode {
        guard let basePairs = base.pairs, let overPairs = over.pairs else { return over }
        var result = basePairs
        for pair in overPairs {
            if let index = result.firstIndex(where: { $0.key.scalar == pair.key.scalar }) {
                result[index] = Pair(key: pair.key, value: merge(base: result[index].value, over: pair.value))
            } else {
                result.append(pair)
            }
        }
        return YAMLNode(.mapping(result), at: over.location, tag: over.tag)
    }

    /// A profile as it is used: `node` (its `extends` chain already merged) over `defaults`, nulls removed.
    static func profile(_ node: YAMLNode, over defaults: YAMLNode?) -> YAMLNode {
        (defaults.map { merge(base: $0, over: node) } ?? node).removingNulls()
    }

    /// The mapping without keys whose value is null (`key: ~` unsets an inherited key).
    func removingNulls() -> YAMLNode {
        guard let pairs else { return self }
        return YAMLNode(.mapping(pairs.filter { !$0.value.isNull }.map { Pair(key: $0.key, value: $0.value.removingNulls()) }), at: location, tag: tag)
    }

    /// A mapping without `key`.
    func removing(key: String) -> YAMLNode {
        guard let pairs else { return self }
        return YAMLNode(.mapping(pairs.filter { $0.key.scalar != key }), at: location, tag: tag)
    }
}
