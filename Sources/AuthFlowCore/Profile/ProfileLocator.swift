public import Foundation

/// Finds the profile file in the documented order (docs/guides/profiles.md): `--config`, `$AUTHFLOW_CONFIG`, `authflow.yaml`
/// in the current folder or the nearest parent, then the user's config folder.
public struct ProfileLocator: Sendable {
    /// How the file was found; a file found by the upward search is a repository's, not the user's choice.
    public enum Origin: String, Sendable {
        case option, environment, search, userConfig
    }

    /// The process environment.
    public var environment: [String: String]
    /// The folder the search starts in.
    public var currentDirectory: String
    /// Receives a note for each file the search passed over.
    public var note: @Sendable (String) -> Void

    /// Creates a locator.
    public init(environment: [String: String], currentDirectory: String = FileManager.default.currentDirectoryPath, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.note = note
    }

    /// The file to use and how it was found.
    public func locate(explicit: String?) throws -> (path: String, origin: Origin) {
        if let explicit { return (explicit, .option) }
        if let configured = environment["AUTHFLOW_CONFIG"], !configured.isEmpty { return (configured, .environment) }
        var folder = URL(fileURLWithPath: currentDirectory).standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("authflow.yaml").path
            var info = stat()
            if stat(candidate, &info) == 0 {
                // Like git's safe.directory: a file someone else owns (planted in a shared folder
                // such as /tmp) must not stand in for the user's own configuration.
                if info.st_uid == geteuid() {
                    return (candidate == currentDirectory + "/authflow.yaml" ? "authflow.yaml" : candidate, .search)
                }
                note("authflow: note: skipped \(candidate.sanitizedForTerminal()): it belongs to another user (uid \(info.st_uid)); name it with -c if you mean it\n")
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        let user = "\(configHome)/authflow/config.yaml"
        if FileManager.default.fileExists(atPath: user) { return (user, .userConfig) }
        throw AuthFlowError(.noInput, "no profile file found", hint: "create authflow.yaml here (authflow init), pass -c FILE, or set AUTHFLOW_CONFIG; also searched parent folders and \(user)")
    }
}
