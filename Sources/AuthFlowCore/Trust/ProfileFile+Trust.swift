import Foundation

extension ProfileFile {
    /// Loads the file `ProfileLocator` found. A file found by the upward search belongs to a
    /// repository, not to the user: unless `requireTrust` is false (`validate`, `profiles`), it is
    /// used only when the user trusted this exact content at this path with `authflow trust`.
    /// The file is validated first (that resolves nothing), and the bytes checked are the bytes parsed.
    public static func load(_ located: (path: String, origin: ProfileLocator.Origin), environment: [String: String], requireTrust: Bool = true) throws -> ProfileFile {
        let file = try load(path: located.path)
        if requireTrust, located.origin == .search { try file.requireTrust(environment: environment) }
        return file
    }

    /// Whether `bytes`, read from the file `located`, may be used without asking: always for the
    /// user's own files, and for a repository's file only when the user trusted these bytes there.
    public static func mayUse(_ bytes: [UInt8], from located: (path: String, origin: ProfileLocator.Origin), environment: [String: String]) -> Bool {
        located.origin != .search || (try? trustVerdict(bytes, at: located.path, environment: environment)) == .trusted
    }

    /// Whether the user trusted this file's content at its path.
    public func trustVerdict(environment: [String: String]) throws -> TrustStore.Verdict {
        try Self.trustVerdict(bytes, at: path, environment: environment)
    }

    /// Whether the user trusted `contents` at `path` (resolved to its real path; a file that is gone is unknown).
    private static func trustVerdict(_ contents: some Collection<UInt8>, at path: String, environment: [String: String]) throws -> TrustStore.Verdict {
        guard let absolute = TrustStore.absolutePath(path) else { return .unknown }
        return try TrustStore(environment: environment).verdict(absolutePath: absolute, contents: contents)
    }

    /// Throws, listing what the file would do, unless the user trusted this content at this path.
    func requireTrust(environment: [String: String]) throws {
        let verdict = try trustVerdict(environment: environment)
        guard verdict != .trusted else { return }
        let absolute = TrustStore.absolutePath(path) ?? path
        let why = "\(path) was found by searching up from the current folder, so it comes with the project, not from you, and it can name any server and any secret.\n"
        throw AuthFlowError(.invalidProfile,
                            verdict == .changed ? "\(path) changed since you trusted it" : "\(path) is not trusted",
                            hint: "if that is what you expect, run: authflow trust \(absolute.sanitizedForTerminal()) (or name a file of your own with -c FILE)",
                            details: why + trustSummary())
    }
}
