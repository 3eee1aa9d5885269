import ArgumentParser

/// Options every command that reads the profile file takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: ArgumentHelp("The profile file (default: $AUTHFLOW_CONFIG, ./authflow.yaml or a parent's, ~/.config/authflow/config.yaml).", valueName: "FILE"))
    var config: String?

    @Flag(name: [.short, .long], help: "Trace HTTP requests and responses on stderr, with every secret and token redacted.")
    var verbose = false

    @Flag(inversion: .prefixedNo, help: "Open the system browser for an interactive grant (default: yes for authorization_code, no for device_code).")
    var browser: Bool?
}
