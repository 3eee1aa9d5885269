public import Foundation

/// What a writer needs besides the token: the profile, the variable prefix, the shell and the clock.
public struct OutputOptions: Sendable {
    /// The profile name, written as `profile` by the `json` writer.
    public var profile: String
    /// The prefix of every variable name the `env` writer sets.
    public var prefix: String
    /// The shell the `env` writer writes for.
    public var shell: any ShellDialect
    /// `--id-token`: `header` and `raw` write the ID token instead of the access token.
    public var useIDToken: Bool
    /// The moment `expires_in` counts from.
    public var now: Date

    /// The default variable-name prefix (the profile's `output.prefix`).
    public static let defaultPrefix = "AUTHFLOW_"

    /// Creates options; by default `AUTHFLOW_` variables for `sh`, the access token, and the current time.
    public init(
        profile: String = "",
        prefix: String = OutputOptions.defaultPrefix,
        shell: any ShellDialect = ShDialect(),
        useIDToken: Bool = false,
        now: Date = Date()
    ) {
        self.profile = profile
        self.prefix = prefix
        self.shell = shell
        self.useIDToken = useIDToken
        self.now = now
    }
}
