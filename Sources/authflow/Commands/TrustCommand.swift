import ArgumentParser
import AuthFlowCore
import Foundation

/// `authflow trust [FILE]`, `authflow trust --list`: records which repository profile files the
/// user has read and accepts (docs/guides/trust.md), like `direnv allow`.
struct TrustCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a repository's authflow.yaml (this exact content at this path), or list trusted files.",
        discussion: """
            A profile file found by searching up from the current folder comes with the project and can name any \
            server and any secret, so authflow uses it only once you trust it. Editing the file makes it untrusted \
            again. Files named with -c or $AUTHFLOW_CONFIG, and your own config folder's, need no trust.
            """)

    @Argument(help: "The profile file (default: the authflow.yaml found from the current folder).", completion: .file(extensions: ["yaml", "yml"]))
    var file: String?
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("config")], help: ArgumentHelp("The profile file, as with other commands (the same as FILE).", valueName: "FILE"))
    var config: String?
    @Flag(help: "List the trusted files: trusted, changed (edited since) or missing.") var list = false

    func output() async throws -> String {
        let store = TrustStore(environment: Runner.environment)
        let file = try Self.named(file, config: config)
        if list {
            guard file == nil else { throw AuthFlowError(.usage, "--list takes no FILE", hint: "run: authflow trust --list") }
            return store.records().map { "\(Self.state(of: $0))\t\($0.path)\n" }.joined()
        }
        let loaded = try ProfileFile.load(path: try Self.path(file))
        guard let absolute = TrustStore.absolutePath(loaded.path) else {
            throw AuthFlowError(.noInput, "cannot resolve the path of \(loaded.path)", hint: "check that the file still exists")
        }
        try store.trust(absolutePath: absolute, contents: loaded.bytes)
        Console.error(loaded.trustSummary())
        return "trusted \(absolute)\n"
    }

    /// The file named by the argument or by `-c`; both at once is a usage error unless they agree.
    static func named(_ file: String?, config: String?) throws -> String? {
        if let file, let config, file != config {
            throw AuthFlowError(.usage, "FILE '\(file.sanitizedForTerminal())' and -c '\(config.sanitizedForTerminal())' name two files", hint: "name the file once: authflow trust FILE")
        }
        return file ?? config
    }

    /// `file`, or the file the upward search finds (never `$AUTHFLOW_CONFIG`'s: that needs no trust).
    static func path(_ file: String?) throws -> String {
        if let file { return file }
        var environment = Runner.environment
        environment["AUTHFLOW_CONFIG"] = nil
        let located = try? ProfileLocator(environment: environment, note: { Console.error($0) }).locate(explicit: nil)
        guard let located, located.origin == .search else {
            throw AuthFlowError(.noInput, "no authflow.yaml in the current folder or a parent folder", hint: "name the file: authflow trust FILE")
        }
        return located.path
    }

    /// "trusted", "changed" or "missing": the file at the record's path now.
    static func state(of record: TrustStore.Record) -> String {
        guard let bytes = try? YAMLLoader().bytes(contentsOf: record.path) else { return "missing" }
        return TrustStore.fingerprint(absolutePath: record.path, contents: bytes) == record.fingerprint ? "trusted" : "changed"
    }
}

/// `authflow untrust [FILE]`: forgets every trusted version of a file.
struct UntrustCommand: PrintingCommand {
    static let configuration = CommandConfiguration(commandName: "untrust", abstract: "Stop trusting a repository's authflow.yaml.")

    @Argument(help: "The profile file (default: the authflow.yaml found from the current folder).", completion: .file(extensions: ["yaml", "yml"]))
    var file: String?
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("config")], help: ArgumentHelp("The profile file, as with other commands (the same as FILE).", valueName: "FILE"))
    var config: String?

    func output() async throws -> String {
        let path = try TrustCommand.path(try TrustCommand.named(file, config: config))
        // A file that is gone is forgotten by the path it had.
        let absolute = TrustStore.absolutePath(path) ?? URL(fileURLWithPath: path).standardizedFileURL.path
        let count = try TrustStore(environment: Runner.environment).untrust(absolutePath: absolute)
        return count > 0 ? "no longer trusted: \(absolute)\n" : "\(absolute) was not trusted\n"
    }
}
