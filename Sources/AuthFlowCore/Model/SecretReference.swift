/// Where a secret comes from (docs/guides/profiles.md, "Secrets"). Never holds a resolved value,
/// except `literal:`, whose value the user wrote out on purpose and which prints redacted.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// `env:NAME`
    case env(String)
    /// `file:PATH`, relative to the profile file's folder; `~` expands.
    case file(String)
    /// `command: [argv...]`, run without a shell.
    case command([String])
    /// `prompt`: asked on the terminal with echo off.
    case prompt
    /// `literal:VALUE`
    case literal(Secret)
    /// `keyring:SERVICE/ACCOUNT`: an item of the OS keychain.
    case keyring(KeychainItemName)

    /// The forms a user may write, for hints.
    public static let formsHint = "write env:NAME, file:PATH, keyring:SERVICE/ACCOUNT, prompt, literal:VALUE, or a mapping 'command: [program, arg...]'"

    /// The reference as written, with a literal's value redacted; safe for cache keys and messages.
    public var description: String {
        switch self {
        case .env(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .command(let argv): "command: [\(argv.joined(separator: ", "))]"
        case .prompt: "prompt"
        case .literal: "literal:<redacted>"
        case .keyring(let name): "keyring:\(name)"
        }
    }
}
