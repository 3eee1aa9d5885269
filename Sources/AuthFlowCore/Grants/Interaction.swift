public import Foundation

/// How an interactive grant (device code, browser login) reaches the user: text for stderr or
/// the terminal (never stdout) and, when allowed, the system browser. The library prints nothing
/// itself; the CLI supplies these.
public struct Interaction: Sendable {
    /// Shows `text` to the user.
    public var show: @Sendable (String) -> Void
    /// Opens `url` in the browser; called only when the user allowed it.
    public var openBrowser: @Sendable (URL) -> Void
    /// `--browser` (true), `--no-browser` (false), or neither (nil: each grant's default).
    public var browser: Bool?
    /// Emphasises a host or a code (bold on a colour terminal).
    public var emphasis: @Sendable (String) -> String

    /// Creates an interaction.
    public init(show: @escaping @Sendable (String) -> Void, openBrowser: @escaping @Sendable (URL) -> Void = { _ in }, browser: Bool? = nil,
                emphasis: @escaping @Sendable (String) -> String = { $0 }) {
        self.show = show
        self.openBrowser = openBrowser
        self.browser = browser
        self.emphasis = emphasis
    }

    /// Shows nothing and opens nothing.
    public static let silent = Interaction(show: { _ in })
}
