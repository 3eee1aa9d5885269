import ArgumentParser
import AuthFlowCore
import Foundation

/// How a run ends: the text for stdout and the exit status. Commands return one; `finish()` is the
/// only place that writes stdout and exits, so no command can leave half an answer behind.
struct Outcome {
    /// Written to stdout in one piece; empty for a failure (except `validate --json`'s problems).
    var output: String
    /// The process exit status (docs/reference/exit-codes.md).
    var status: Int32

    /// Success: `output` on stdout, exit 0.
    static func success(_ output: String) -> Outcome { Outcome(output: output, status: 0) }

    /// A verdict (`verify`, `introspect`): stdout gets it either way; exit 0 when it is positive,
    /// the status of an invalid token when not.
    static func verdict(_ output: String, positive: Bool) -> Outcome {
        Outcome(output: output, status: positive ? 0 : AuthFlowError.Kind.invalidToken.exitStatus)
    }

    /// A failure: `error` reported on stderr, stdout empty.
    static func failure(_ error: any Error) -> Outcome { Outcome(output: "", status: report(error)) }

    /// What `body` returns, or the failure it throws.
    static func of(_ body: () async throws -> Outcome) async -> Outcome {
        do { return try await body() } catch { return failure(error) }
    }

    /// Writes the output and exits with the status.
    func finish() -> Never {
        if !output.isEmpty { FileHandle.standardOutput.write(Data(output.utf8)) }
        exit(status)
    }

    /// Prints `error` on stderr as `authflow: error:` and a hint, and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as DiagnosticsError:
            let errors = error.diagnostics.filter { $0.severity == .error }.count
            let file = error.diagnostics.first?.location.file ?? "the profile file"
            Console.error(DiagnosticRenderer(source: error.source).render(error.diagnostics)
                          + "authflow: error: \(file) has \(errors) problem\(errors == 1 ? "" : "s")\n")
            return AuthFlowError.Kind.invalidProfile.exitStatus
        case let error as AuthFlowError:
            var text = error.details + "authflow: error: \(error.message)\n"
            if let hint = [error.hint, error.workaround.map(\.flag)].compactMap({ $0 }).joined(separator: ", or ").nonEmpty {
                text += "hint: \(hint)\n"
            }
            Console.error(text)
            return error.kind.exitStatus
        default:
            Console.error("authflow: error: \(String(describing: error).sanitizedForTerminal())\n")
            return 1
        }
    }
}

extension AuthFlowError.Workaround {
    /// The way around, as the command line offers it.
    var flag: String {
        switch self {
        case .withoutTokenCache: "pass --no-cache"
        }
    }
}

extension AuthFlowError.Kind {
    /// The exit status of a failure of this kind: the sysexits.h codes where one fits, a shell's
    /// 126/127 for a command `exec` cannot run (docs/reference/exit-codes.md).
    var exitStatus: Int32 {
        switch self {
        case .usage: 64
        case .invalidProfile: 65
        case .noInput: 66
        case .unavailable, .tlsRefused: 69
        case .cannotCreate: 73
        case .tryAgain: 75
        case .protocolError: 76
        case .refused: 77
        case .secret: 78
        case .commandNotExecutable: 126
        case .commandNotFound: 127
        case .internalError, .invalidToken: 1
        }
    }
}

/// A command of authflow's: it returns its outcome, and `AuthFlow.main` writes it and exits.
protocol OutcomeCommand: AsyncParsableCommand, Sendable {
    func outcome() async throws -> Outcome
}

extension OutcomeCommand {
    /// The argument parser's entry; `AuthFlow.main` calls `outcome()` itself, so this runs only
    /// when a command is run some other way.
    func run() async throws {
        await Outcome.of(outcome).finish()
    }
}

/// A command whose success is text on stdout and whose failures are errors it throws.
protocol PrintingCommand: OutcomeCommand {
    func output() async throws -> String
}

extension PrintingCommand {
    func outcome() async throws -> Outcome { .success(try await output()) }
}
