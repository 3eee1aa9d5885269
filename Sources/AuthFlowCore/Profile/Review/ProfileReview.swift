import Foundation

/// What a careful reviewer would add to a profile file: practices that work but deserve a second
/// look. They are warnings and notes, never errors, so `validate` still exits 0 for them.
public struct ProfileReview: Sendable {
    /// The process environment: `${VAR}` in token sources, `~` in `file:` paths.
    public var environment: [String: String]

    /// A reviewer for files used with `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The notes on the document `root` of the file at `path`, in file order. Works on files with
    /// errors too: every profile that can be merged is reviewed.
    public func notes(root: YAMLNode?, path: String) -> [Diagnostic] {
        guard let root, root.pairs != nil else { return [] }
        let notes = secretNotes(root, directory: ProfileFile.directory(of: path)) + grantNotes(root)
        return notes.sorted { $0.location < $1.location }
    }

    // MARK: - Secrets: literal: in a repository, readable secret files

    private func secretNotes(_ root: YAMLNode, directory: String) -> [Diagnostic] {
        let inRepository = Self.isInsideGitRepository(directory)
        let resolver = SecretResolver(environment: environment, baseDirectory: directory)
        var out: [Diagnostic] = []
        for (path, node) in Self.secretFields(root, as: .object(ProfileSchema.file), path: []) {
            guard let text = node.scalar else { continue }
            let (key, owner) = Self.describe(path)
            if let note = Self.oneTimeNote(key: key, owner: owner, text: text, at: node) {
                out.append(note)
            } else if inRepository, text.hasPrefix("literal:") {
                var note = Diagnostic(.warning, at: node.location, "\(key): a literal: secret in a file inside a git repository (\(owner))",
                                      hint: "whoever can read the repository can read it: use env:NAME, or file:PATH outside the repository; keep literal: for throwaway test values")
                note.masksSource = true
                out.append(note)
            } else if let file = text.dropPrefix("file:"), !file.isEmpty {
                let absolute = resolver.absolutePath(file)
                if let mode = SecretFilePermissions.looseMode(atPath: absolute) {
                    out.append(Diagnostic(.warning, at: node.location, "\(key): \(SecretFilePermissions.problem(absolute, mode: mode)) (\(owner))",
                                          hint: "run: \(SecretFilePermissions.fix(absolute))", length: text.count))
                }
            }
        }
        return out
    }

    /// A one-time passcode or a code sent to the user written as `literal:`: it works once at
    /// most (an authenticator's code changes every 30 s, a sent code at every sign-in).
    private static func oneTimeNote(key: String, owner: String, text: String, at node: YAMLNode) -> Diagnostic? {
        guard text.hasPrefix("literal:") else { return nil }
        let message: String, hint: String
        switch key {
        case "grant.otp", "grant.mfa.otp":
            message = "\(key): a literal: one-time passcode stops working within a minute; an authenticator's code changes every 30 s (\(owner))"
            hint = "use prompt, or let a command compute it: {command: [oathtool, --totp, -b, SECRET]} with the secret from your keychain"
        case "grant.code", "grant.mfa.code":
            message = "\(key): a literal: code cannot match; SMS, voice and email codes are new at every sign-in (\(owner))"
            hint = "use prompt (the default), or a command: that reads the code when it arrives"
        default:
            return nil
        }
        var note = Diagnostic(.warning, at: node.location, message, hint: hint, length: text.count)
        note.masksSource = true
        return note
    }

    /// Every secret reference written in the file (in `defaults` and templates too), with its key path.
    static func secretFields(_ node: YAMLNode, as type: SchemaType, path: [String]) -> [(path: [String], node: YAMLNode)] {
        switch type {
        case .secret:
            return node.isNull ? [] : [(path, node)]
        case .textOrSecret:
            return node.scalar.map(SecretReference.looksLikeReference) == true ? [(path, node)] : []
        case .object(let fields), .shorthand(_, let fields):
            return (node.pairs ?? []).flatMap { pair -> [(path: [String], node: YAMLNode)] in
                guard let key = pair.key.scalar, let field = fields.first(where: { $0.name == key }) else { return [] }
                return secretFields(pair.value, as: field.type, path: path + [key])
            }
        case .namedMap(let valueType):
            return (node.pairs ?? []).flatMap { pair -> [(path: [String], node: YAMLNode)] in
                guard let key = pair.key.scalar else { return [] }
                return secretFields(pair.value, as: valueType, path: path + [key])
            }
        default:
            return []
        }
    }

    /// `[profiles, prod, client, secret]` → ("client.secret", "profile 'prod'").
    static func describe(_ path: [String]) -> (key: String, owner: String) {
        if path.first == "profiles", path.count > 2 { return (path.dropFirst(2).joined(separator: "."), "profile '\(path[1])'") }
        if path.first == "defaults" { return (path.dropFirst().joined(separator: "."), "defaults") }
        return (path.joined(separator: "."), "the top level")
    }

    /// True when `directory` or a parent holds `.git` (a folder, or a file for worktrees and submodules).
    static func isInsideGitRepository(_ directory: String) -> Bool {
        var folder = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) { return true }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return false }
            folder = parent
        }
    }

    // MARK: - Grants: the password grant, Okta without openid

    private struct Finding {
        let node: YAMLNode
        var profiles: [String]
        var allLoopback: Bool
    }

    private func grantNotes(_ root: YAMLNode) -> [Diagnostic] {
        var password: [Finding] = [], noOpenID: [Finding] = [], noScopes: [Finding] = []
        for (name, profile) in Self.mergedProfiles(root) {
            guard let grant = profile["grant"], let type = grant.pairs == nil ? grant : grant["type"], type.scalar == "password" else { continue }
            Self.record(type, name, loopback: isLoopback(profile), in: &password)
            if profile["domain"] != nil, !Self.asksForOpenID(profile["scopes"]) {
                if let scopes = profile["scopes"] {
                    Self.record(scopes, name, loopback: false, in: &noOpenID)
                } else {
                    Self.record(type, name, loopback: false, in: &noScopes)
                }
            }
        }
        let notes = password.map { finding -> Diagnostic in
            let who = Self.naming(finding.profiles)
            let (severity, message) = finding.allLoopback
                ? (Diagnostic.Severity.note, "\(who) the password grant against a loopback server: fine for local development, but RFC 9700 (OAuth 2.0 Security BCP) says not to use it")
                : (.warning, "\(who) the password grant, which RFC 9700 (OAuth 2.0 Security BCP) says must not be used: the client sees the user's password")
            return Diagnostic(severity, at: finding.node.location, message,
                              hint: "machines: grant: client_credentials; people: the device_code grant (RFC 8628) where the server and authflow support it",
                              length: finding.node.scalar?.count ?? 1)
        }
        return notes
            + noOpenID.map { finding in
                Diagnostic(.warning, at: finding.node.location, "scopes: Okta's password grant needs the openid scope, and \(Self.naming(finding.profiles)) it without",
                           hint: "add openid, e.g. scopes: [openid, profile]")
            }
            + noScopes.map { finding in
                Diagnostic(.warning, at: finding.node.location, "\(Self.naming(finding.profiles)) Okta's password grant without scopes; Okta needs the openid scope",
                           hint: "add scopes: [openid, profile]", length: finding.node.scalar?.count ?? 1)
            }
    }

    /// The usable profiles of `root`, each merged with its `extends` chain and `defaults`, in file order.
    static func mergedProfiles(_ root: YAMLNode) -> [(name: String, node: YAMLNode)] {
        let pairs = root["profiles"]?.pairs ?? []
        let byName = Dictionary(pairs.compactMap { pair in pair.key.scalar.map { ($0, pair) } }, uniquingKeysWith: { _, last in last })
        let defaults = root["defaults"].flatMap { $0.pairs != nil ? $0 : nil }
        var chain = ExtendsResolver(profiles: byName)
        return pairs.compactMap { pair in
            guard let name = pair.key.scalar, ProfileFile.isValidName(name), !name.hasPrefix(".") else { return nil }
            return chain.resolve(name).map { (name, YAMLNode.profile($0, over: defaults)) }
        }
    }

    /// Adds `name` to the finding at `node`'s place: profiles sharing a template's grant get one note.
    private static func record(_ node: YAMLNode, _ name: String, loopback: Bool, in findings: inout [Finding]) {
        if let index = findings.firstIndex(where: { $0.node.location == node.location }) {
            findings[index].profiles.append(name)
            findings[index].allLoopback = findings[index].allLoopback && loopback
        } else {
            findings.append(Finding(node: node, profiles: [name], allLoopback: loopback))
        }
    }

    /// "profile 'a' uses" / "profiles 'a', 'b' use".
    private static func naming(_ profiles: [String]) -> String {
        let names = profiles.map { "'\($0)'" }.joined(separator: ", ")
        return profiles.count == 1 ? "profile \(names) uses" : "profiles \(names) use"
    }

    /// True when `scopes` holds `openid`, or holds a variable whose value is only known at run time.
    private static func asksForOpenID(_ scopes: YAMLNode?) -> Bool {
        guard let scopes else { return false }
        let words = scopes.items?.compactMap(\.scalar) ?? (scopes.scalar?.split(separator: " ").map(String.init) ?? [])
        return words.contains { $0 == "openid" || $0.contains("$") }
    }

    /// True when the profile's token source is a loopback URL (a local development server).
    private func isLoopback(_ profile: YAMLNode) -> Bool {
        guard let raw = (profile["domain"] ?? profile["token_url"] ?? profile["issuer"])?.scalar,
              case .text(let value) = VariableExpander(environment: environment).expand(raw) else { return false }
        let url = URL(string: value.contains("://") ? value : "https://\(value)")
        return url?.host.map(URL.isLoopback(host:)) ?? false
    }
}
