public import Foundation

/// GitHub Actions: `::add-mask::` for every token on stdout first (so the runner hides them before
/// anything can echo them), and a block for `$GITHUB_ENV` (or `$GITHUB_OUTPUT`) in the runner's
/// heredoc syntax with a random delimiter that is checked absent from the value.
public struct GitHubActions: Sendable {
    /// What to print and what to append to the runner's file.
    public struct Output: Sendable {
        /// The mask commands, for stdout.
        public var stdout: String
        /// The `NAME<<DELIMITER` blocks, for `$GITHUB_ENV` or `$GITHUB_OUTPUT`.
        public var file: String
    }

    /// Makes random delimiters; tests pass a fixed one.
    public var delimiter: @Sendable () -> String

    /// Creates the writer.
    public init(delimiter: @escaping @Sendable () -> String = { "ghadelimiter_\(UUID().uuidString)" }) {
        self.delimiter = delimiter
    }

    /// The output for `variables` (from `EnvWriter.variables`); `secretNames` are masked.
    public func render(_ variables: [(name: String, value: String)], secretNames: Set<String>) throws -> Output {
        var masks = ""
        var file = ""
        for variable in variables {
            if secretNames.contains(variable.name) { masks += "::add-mask::\(variable.value)\n" }
            var marker = delimiter()
            var attempts = 0
            while variable.value.contains(marker) || variable.name.contains(marker) {
                attempts += 1
                guard attempts < 8 else {
                    throw AuthFlowError(.protocolError, "cannot find a heredoc delimiter absent from \(variable.name)", hint: "the value is hostile or enormous")
                }
                marker = delimiter()
            }
            file += "\(variable.name)<<\(marker)\n\(variable.value)\n\(marker)\n"
        }
        return Output(stdout: masks, file: file)
    }

    /// Appends `text` to the runner's file at `path` (opened for append, never truncated).
    public static func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw AuthFlowError(.cannotCreate, "cannot open \(path) for appending", hint: "run this inside a GitHub Actions step, where the runner creates the file")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
