import Foundation

/// A loaded and validated profile file. Loading checks every profile and reports every
/// problem at once; `profile(named:environment:)` then expands variables for the one in use.
public struct ProfileFile: Sendable {
    /// The file as the user named it, for messages.
    public let path: String
    /// The file's folder, where relative paths start.
    public let directory: String
    /// The file's text.
    public let source: String
    /// The exact bytes parsed: what trust fingerprints. The loader accepts UTF-8 only, so these
    /// are `source`'s bytes, one for one.
    public let bytes: [UInt8]
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
        try self.init(root: root, source: source, bytes: bytes, path: path)
    }

    /// Validates a parsed document; `path` names it in messages.
    public init(root: YAMLNode?, source: String, path: String) throws {
        try self.init(root: root, source: source, bytes: Array(source.utf8), path: path)
    }

    private init(root: YAMLNode?, source: String, bytes: [UInt8], path: String) throws {
        self.path = path
        self.source = source
        self.bytes = bytes
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
        var chain = ExtendsResolver(profiles: byName)
        for pair in profiles {
            guard let name = pair.key.scalar else { continue }
            if !ProfileFile.isValidName(name) {
                diagnostics.append(Diagnostic(at: pair.key.location, "'\(name)' is not a valid profile name", hint: "names match [A-Za-z0-9][A-Za-z0-9._-]*; a leading '.' marks a template", length: name.count))
                continue
            }
            guard pair.value.pairs != nil else { continue }
            guard let node = chain.resolve(name) else { continue }
            let full = YAMLNode.profile(node, over: defaults)
            if name.hasPrefix(".") { continue }
            names.append(name)
            merged[name] = (full, pair.key.location)
            var builder = ProfileBuilder(name: name, nameLocation: pair.key.location, directory: directory, expander: VariableExpander(environment: nil))
            _ = builder.build(full)
            diagnostics += builder.diagnostics
        }
        diagnostics += chain.diagnostics
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

    /// The absolute folder of the file at `path`, where its relative paths start: the folder of
    /// the real file, symbolic links resolved. A link in another folder (another repository) to a
    /// trusted file must not make that folder's scripts, keys and CA files the trusted file's.
    static func directory(of path: String) -> String {
        if let real = FilePaths.real(path) { return (real as NSString).deletingLastPathComponent }
        let absolute = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = (absolute as NSString).deletingLastPathComponent
        // One realpath(3) resolves what standardizingPath does (symbolic links, `.`, `..`) without
        // its lstat per component; it needs the folder to exist, which a file's folder does.
        return FilePaths.real(folder) ?? (folder as NSString).standardizingPath
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
///
/// Each profile is resolved once and remembered, walking up its chain in a loop: a hostile file
/// with a chain of thousands of profiles costs one merge per profile, not a walk of the whole
/// chain per profile with a recursion as deep as the chain (a 20 KB file took a minute).
/// The diagnostics are what a fresh walk from each profile reports.
struct ExtendsResolver {
    let profiles: [String: YAMLNode.Pair]
    var diagnostics: [Diagnostic] = []

    /// A profile's chain merged, or the problem that stops it (nil: an error reported elsewhere).
    private enum Outcome {
        case resolved(YAMLNode)
        case failed(Diagnostic?)
    }

    private struct Step {
        let name: String
        let node: YAMLNode
        let extendsNode: YAMLNode
    }

    private var outcomes: [String: Outcome] = [:]

    init(profiles: [String: YAMLNode.Pair]) { self.profiles = profiles }

    /// `name` merged over its ancestors; nil, with the problem added to `diagnostics`, when the chain breaks.
    mutating func resolve(_ name: String) -> YAMLNode? {
        switch outcome(of: name) {
        case .resolved(let node):
            return node
        case .failed(let diagnostic):
            if let diagnostic { diagnostics.append(diagnostic) }
            return nil
        }
    }

    private mutating func outcome(of start: String) -> Outcome {
        var path: [Step] = []
        var position: [String: Int] = [:]
        var current = start
        var outcome: Outcome
        walk: while true {
            if let known = outcomes[current] {
                outcome = known
                break walk
            }
            guard let pair = profiles[current], pair.value.pairs != nil else {
                outcome = .failed(nil)
                break walk
            }
            let node = pair.value.removing(key: "extends")
            // `extends: ~` unsets an inherited value like any other key: no parent.
            guard let extendsNode = pair.value["extends"], !extendsNode.isNull else {
                outcome = .resolved(node)
                outcomes[current] = outcome
                break walk
            }
            guard let parent = extendsNode.scalar else {
                outcome = .failed(nil)
                outcomes[current] = outcome
                break walk
            }
            path.append(Step(name: current, node: node, extendsNode: extendsNode))
            position[current] = path.count - 1
            if let entry = position[parent] {
                // A walk entering the cycle at member M reports it at the `extends` naming M.
                let members = Array(path[entry...])
                for (index, member) in members.enumerated() {
                    let predecessor = members[(index + members.count - 1) % members.count]
                    let cycle = (members[index...] + members[..<index] + [member]).map(\.name).joined(separator: " -> ")
                    outcomes[member.name] = .failed(Diagnostic(at: predecessor.extendsNode.location, "extends: cycle \(cycle)",
                                                               hint: "a profile cannot inherit from itself, directly or through others", length: member.name.count))
                }
                outcome = outcomes[parent] ?? .failed(nil)
                path.removeSubrange(entry...)
                break walk
            }
            guard profiles[parent] != nil else {
                let hint = Suggestion.didYouMean(parent, in: Array(profiles.keys)) ?? "profiles: \(profiles.keys.sorted().joined(separator: ", "))"
                outcome = .failed(Diagnostic(at: extendsNode.location, "extends: no profile named '\(parent)'", hint: hint, length: parent.count))
                outcomes[current] = outcome
                path.removeLast()
                break walk
            }
            current = parent
        }
        // Back down the chain: each profile over its parent's result, or its parent's failure.
        for step in path.reversed() {
            if case .resolved(let base) = outcome {
                outcome = .resolved(YAMLNode.merge(base: base, over: step.node))
            }
            outcomes[step.name] = outcome
        }
        return outcome
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
