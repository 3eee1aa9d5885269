import ArgumentParser
import AuthFlowCore
import Foundation

struct ValidateCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the profile file and print every problem (exit 0 or 65).",
        discussion: "Warnings and notes (the password grant, literal: secrets in a git repository, ...) do not fail validation.")

    @OptionGroup var options: FileOptions
    @Flag(help: "Print every problem as a JSON array of {file, line, column, severity, message, hint} on stdout, for CI annotations.")
    var json = false

    func outcome() async throws -> Outcome {
        let path = try ProfileLocator(environment: Runner.environment, note: { Console.error($0) }).locate(explicit: options.config).path
        let result = try ProfileValidation.run(path: path, environment: Runner.environment)
        let errors = result.errorCount
        if json, errors > 0 {
            // With --json the problems are the requested output, so they reach stdout even on exit 65.
            let failure = AuthFlowError(.invalidProfile, "\(path) has \(errors) problem\(errors == 1 ? "" : "s")", hint: "each one is in the JSON on stdout")
            return Outcome(output: result.diagnostics.jsonText, status: Outcome.report(failure))
        }
        if json { return .success(result.diagnostics.jsonText) }
        guard errors == 0 else { throw DiagnosticsError(result.diagnostics, source: result.source) }
        Console.error(DiagnosticRenderer(source: result.source).render(result.diagnostics))
        let names = result.profileNames
        return .success("\(path): ok, \(Self.count(names.count, "profile")): \(names.joined(separator: ", "))\(Self.remarks(result.diagnostics))\n")
    }

    /// " (2 warnings, 1 note)", or "" when there are none.
    static func remarks(_ diagnostics: [Diagnostic]) -> String {
        let warnings = diagnostics.filter { $0.severity == .warning }.count, notes = diagnostics.filter { $0.severity == .note }.count
        let parts = [warnings > 0 ? count(warnings, "warning") : nil, notes > 0 ? count(notes, "note") : nil].compactMap { $0 }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }

    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
