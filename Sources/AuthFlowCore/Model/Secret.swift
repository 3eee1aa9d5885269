/// A resolved secret value. It prints as `<redacted>` everywhere, so it cannot leak through
/// string interpolation, `dump`, logs or error messages; `reveal()` is the one way in.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// The largest secret authflow reads from a file, a command or the environment: no password,
    /// key or token comes near it, and a runaway command must not fill memory.
    public static let maximumBytes = 64 * 1024

    /// Wraps `value`.
    public init(_ value: String) { self.value = value }

    /// The plain value, for building a request body or header — never for output.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
