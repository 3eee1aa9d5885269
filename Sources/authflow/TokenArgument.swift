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
    /// Runs a command whose output is a verdict (`verify`, `introspect`): stdout gets it either
    /// way, and the exit code is 0 when it is positive, 1 when not. Errors keep their exit codes (docs/reference/exit-codes.md) and an empty stdout.
    static func runVerdict(_ body: () async throws -> (output: String, positive: Bool)) async -> Never {
        do {
            let (output, positive) = try await body()
            FileHandle.standardOutput.write(Data(output.utf8))
            exit(positive ? 0 : AuthFlowError.Kind.invalidToken.exitCode)
        } catch {
            exit(report(error))
        }
    }

    /// Colour for people: stdout is a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`.
    static var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
