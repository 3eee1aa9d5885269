import AuthFlowCore
import Foundation

/// `authflow env`: each dialect's quoting, through the env writer and through `line` directly.
///
/// Input: fields split at 0xFF: dialect selector byte(s), prefix, access token, scope, ID token.
///
/// Properties: every line the writer emits, read by an independent evaluator of that shell's
/// rules, sets exactly the intended variable to exactly the intended value; a value the writer
/// will not write is refused with an `AuthFlowError` (control characters: 76; a bad prefix: 64;
/// dotenv's quote, backslash and line breaks: 76), and only such values are refused.
enum ShellQuotingFuzz {
    static let evaluators: [String: @Sendable (String) -> (name: String, value: String)?] = [
        "sh": ShellEvaluators.sh, "fish": ShellEvaluators.fish, "powershell": ShellEvaluators.powerShell, "dotenv": ShellEvaluators.dotenv,
    ]

    static func check(_ data: Data) throws {
        let parts = fields(data, count: 5)
        let selector = parts[0].first.map(Int.init) ?? 0
        let dialect = ShellDialects.all[selector % ShellDialects.all.count]
        let prefix = parts.count > 1 ? text(parts[1]) : OutputOptions.defaultPrefix
        let access = parts.count > 2 ? text(parts[2]) : "token"
        let scope = parts.count > 3 ? text(parts[3]) : nil
        let idToken = parts.count > 4 ? text(parts[4]) : nil
        guard let evaluate = evaluators[dialect.name] else { throw PropertyViolation("no evaluator for dialect \(dialect.name)") }

        // The dialect alone, on every value the env writer would hand it.
        for value in [access, scope, idToken].compactMap({ $0 }) where !value.unicodeScalars.contains(where: isRefusedControl) {
            try checkLine(dialect, name: "AUTHFLOW_V", value: value, evaluate: evaluate)
        }

        // The whole writer.
        let expiresAt = Date(timeIntervalSince1970: 1_800_000_000)
        let token = TokenSet(accessToken: access, tokenType: "Bearer", expiresAt: expiresAt, scope: scope, idToken: idToken, refreshToken: "never-written", response: [:])
        var expected: [(String, String)] = [("ACCESS_TOKEN", access), ("TOKEN_TYPE", "Bearer"), ("EXPIRES_AT", "1800000000")]
        if let scope { expected.append(("SCOPE", scope)) }
        if let idToken { expected.append(("ID_TOKEN", idToken)) }
        let options = OutputOptions(profile: "fuzz", prefix: prefix, shell: dialect, now: expiresAt.addingTimeInterval(-60))
        let validPrefix = isVariableName(prefix + "X")
        let refusable = expected.contains { _, value in value.unicodeScalars.contains(where: isRefusedControl) || (dialect.name == "dotenv" && dotenvRefuses(value)) }
        do {
            let output = try EnvWriter().write(token, options: options)
            try require(validPrefix && !refusable, "\(dialect.name) wrote a prefix or value it should refuse: \(shown(output))")
            var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            try require(lines.last == "", "\(dialect.name) output does not end with a newline")
            lines.removeLast()
            // A value may hold no newline here (control characters are refused), so one line per
            // variable, then the dialect's removal of each variable of the set this token lacks.
            let unsets = ["ACCESS_TOKEN", "TOKEN_TYPE", "EXPIRES_AT", "SCOPE", "ID_TOKEN"]
                .filter { suffix in !expected.contains { $0.0 == suffix } }
                .compactMap { dialect.unsetLine(name: prefix + $0) }
            try require(lines.count == expected.count + unsets.count, "\(dialect.name) wrote \(lines.count) lines for \(expected.count) variables and \(unsets.count) removals: \(shown(output))")
            try require(Array(lines.suffix(unsets.count)) == unsets, "\(dialect.name) removal lines are not \(unsets): \(shown(output))")
            for (line, (suffix, value)) in zip(lines, expected) {
                guard let assigned = evaluate(line) else { throw PropertyViolation("\(dialect.name) line is not a plain literal assignment: \(shown(line))") }
                try require(assigned.name == prefix + suffix, "\(dialect.name) line sets \(assigned.name), not \(prefix + suffix)")
                try require(assigned.value.unicodeScalars.elementsEqual(value.unicodeScalars), "\(dialect.name) line gives '\(shown(assigned.value))' for '\(shown(value))': \(shown(line))")
            }
            try require(!output.contains("never-written"), "the refresh token was written")
        } catch let error as AuthFlowError {
            let code = error.kind
            if !validPrefix {
                try require(code == .usage, "bad prefix '\(shown(prefix))' refused as \(code)")
            } else {
                try require(refusable, "\(dialect.name) refused writable values as \(code): \(error.message)")
                try require(code == .protocolError, "a refused value gave \(code)")
            }
        }
    }

    static func checkLine(_ dialect: any ShellDialect, name: String, value: String, evaluate: (String) -> (name: String, value: String)?) throws {
        let line: String
        do {
            line = try dialect.line(name: name, value: value)
        } catch let error as AuthFlowError {
            try require(dialect.name == "dotenv" && dotenvRefuses(value), "\(dialect.name) refused '\(shown(value))': \(error.message)")
            try require(error.kind == .protocolError, "\(dialect.name) refusal of kind \(error.kind)")
            return
        }
        try require(!(dialect.name == "dotenv" && dotenvRefuses(value)), "dotenv wrote a value it cannot quote: \(shown(line))")
        guard let assigned = evaluate(line) else { throw PropertyViolation("\(dialect.name) line is not a plain literal assignment: \(shown(line))") }
        try require(assigned.name == name, "\(dialect.name) line sets \(assigned.name)")
        try require(assigned.value.unicodeScalars.elementsEqual(value.unicodeScalars), "\(dialect.name) line gives '\(shown(assigned.value))' for '\(shown(value))': \(shown(line))")
    }

    static func dotenvRefuses(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0 == "'" || $0 == "\\" || $0 == "\n" || $0 == "\r" }
    }

    static func isVariableName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        let isLetter = { (s: Unicode.Scalar) in ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" }
        guard let first = scalars.first, isLetter(first) else { return false }
        return scalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
