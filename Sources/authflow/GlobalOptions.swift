import ArgumentParser

/// Options every command that reads the profile file takes.
struct FileOptions: ParsableArguments {
    @Option(name: [.customShort("c", allowingJoined: true), .customLong("config")], help: ArgumentHelp("The profile file (default: $AUTHFLOW_CONFIG, ./authflow.yaml or a parent's, ~/.config/authflow/config.yaml).", valueName: "FILE"))
    var config: String?

    @Flag(name: [.short, .long], help: "Trace HTTP requests and responses on stderr, with every secret and token redacted, and show every wait.")
    var verbose = false
}

/// The file options, plus the browser choice of the commands that may get a token interactively;
/// commands that never sign in (validate, profiles, cache clear) take `FileOptions` alone.
struct GlobalOptions: ParsableArguments {
    @OptionGroup var file: FileOptions

    @Flag(inversion: .prefixedNo, help: "Open the system browser for an interactive grant (default: yes for authorization_code, no for device_code).")
    var browser: Bool?

    /// `-c/--config`.
    var config: String? {
        get { file.config }
        set { file.config = newValue }
    }

    /// `-v/--verbose`.
    var verbose: Bool {
        get { file.verbose }
        set { file.verbose = newValue }
    }
}
