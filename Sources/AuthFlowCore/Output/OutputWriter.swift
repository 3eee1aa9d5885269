/// Turns a token set into the text one output format prints; never prints it itself.
public protocol OutputWriter: Sendable {
    /// The format's name on the command line (`--format NAME`).
    var name: String { get }
    /// The complete output, or an `AuthFlowError` when a value may not be written.
    func write(_ token: TokenSet, options: OutputOptions) throws -> String
}

/// The fixed set of output formats.
public enum OutputFormats {
    /// Every writer, in the order the help text lists them.
    public static let all: [any OutputWriter] = [RawWriter(), JSONWriter(), HeaderWriter(), EnvWriter(), CurlWriter(), ExecCredentialWriter()]

    /// The writer called `name`, or nil.
    public static func named(_ name: String) -> (any OutputWriter)? {
        all.first { $0.name == name }
    }

    /// The names of every writer.
    public static var names: [String] { all.map(\.name) }
}
