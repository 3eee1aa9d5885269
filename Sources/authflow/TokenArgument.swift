import AuthFlowCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The token `inspect`, `verify` and `introspect` are handed: `--token T`, or `-` (the positional
/// argument or `--token -`) to read it from stdin, which keeps it out of `ps` and shell history.
enum TokenArgument {
    /// The given token, or nil when none was given (the profile's current token is meant).
    static func read(option: String?, dash: String?) throws -> String? {
        if let dash, dash != "-" {
            throw AuthFlowError(.usage, "unexpected argument '\(dash.sanitizedForTerminal(limit: 40))'", hint: "give the token with --token TOKEN, or - to read it from stdin")
        }
        if dash != nil, option != nil {
            throw AuthFlowError(.usage, "both - and --token give a token", hint: "pass one of them")
        }
        guard let value = option ?? dash else { return nil }
        guard value == "-" else { return try TokenInput.token(from: value) }
        let data = FileHandle.standardInput.readData(ofLength: TokenInput.maximumLength + 1024)
        return try TokenInput.token(from: String(decoding: data, as: UTF8.self))
    }
}

extension Runner {
    /// Colour for people on stdout.
    static var colour: Bool { colours(STDOUT_FILENO) }

    /// Colour for people on `descriptor`: a terminal, `NO_COLOR` unset or empty (no-color.org), and
    /// `TERM` not `dumb`. The one place that decides, for stdout and stderr alike.
    static func colours(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
