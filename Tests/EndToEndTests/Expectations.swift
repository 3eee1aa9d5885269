import Foundation
import Testing

extension RunResult {
    /// docs/reference/output.md for a failure: the exit code, an EMPTY stdout, and on stderr exactly one
    /// `authflow: error: ...` line holding every fragment, followed by one `hint: ...` line.
    /// Announced retries come before the error (docs/reference/requests.md) and are not part of it.
    func expectFailure(_ exitCode: Int32, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.exitCode == exitCode, "\(self)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "stdout must stay empty on failure; \(self)", sourceLocation: sourceLocation)
        let lines = stderrLines.filter { !$0.isRetryNotice }
        #expect(lines.count == 2, "stderr should be an error line and a hint line; \(self)", sourceLocation: sourceLocation)
        let error = lines.first { $0.hasPrefix("authflow: error: ") }
        #expect(error != nil, "no 'authflow: error:' line; \(self)", sourceLocation: sourceLocation)
        #expect(lines.filter { $0.hasPrefix("authflow: error: ") }.count == 1, "\(self)", sourceLocation: sourceLocation)
        #expect(lines.last?.hasPrefix("hint: ") == true && lines.last != "hint: ", "no 'hint:' line; \(self)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error?.contains(fragment) == true, "error line lacks '\(fragment)'; \(self)", sourceLocation: sourceLocation)
        }
    }

    /// The `authflow: …; retrying in …` lines on stderr, one per retry.
    var retryNotices: [String] { stderrLines.filter(\.isRetryNotice) }

    /// Exit 0 and nothing on stderr; returns stdout.
    @discardableResult
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(exitCode == 0, "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.isEmpty, "stderr should be empty on success; \(self)", sourceLocation: sourceLocation)
        return stdout
    }

    /// The profile-file contract (exit 65): a `FILE:LINE:COL: error: MESSAGE` line, the source line
    /// under it, a caret under column COL, and a `hint:` line after it. Returns nothing; records issues.
    func expectDiagnostic(
        file: String, line: Int, column: Int, message: String, sourceLine: String, hint: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(exitCode == 65, "\(self)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "\(self)", sourceLocation: sourceLocation)
        let lines = stderrLines
        let header = "\(file):\(line):\(column): error: \(message)"
        guard let at = lines.firstIndex(where: { $0.hasPrefix(header) }) else {
            Issue.record("no line starting '\(header)'; \(self)", sourceLocation: sourceLocation)
            return
        }
        guard at + 2 < lines.count else {
            Issue.record("the diagnostic is cut short; \(self)", sourceLocation: sourceLocation)
            return
        }
        let quoted = lines[at + 1], caretLine = lines[at + 2]
        #expect(quoted.hasSuffix(sourceLine), "line after the diagnostic should quote '\(sourceLine)'; \(self)", sourceLocation: sourceLocation)
        // The quoted line may be indented; the caret sits under column COL of the original line.
        let indent = quoted.count - sourceLine.count
        let caret = caretLine.firstIndex(of: "^").map { caretLine.distance(from: caretLine.startIndex, to: $0) }
        #expect(caret == indent + column - 1, "caret not under column \(column); \(self)", sourceLocation: sourceLocation)
        let hintLine = lines.dropFirst(at + 3).first { $0.contains("hint:") || $0.contains("error:") }
        #expect(hintLine?.trimmingCharacters(in: .whitespaces) == "hint: \(hint)", "expected 'hint: \(hint)'; \(self)", sourceLocation: sourceLocation)
    }

    /// The `authflow: error:` summary line of a profile-file failure.
    var summaryLine: String? { stderrLines.last { $0.hasPrefix("authflow: error: ") } }
}

/// RFC 6750 §2.1 `b64token`.
func isB64Token(_ value: String) -> Bool {
    value.wholeMatch(of: /[A-Za-z0-9\-._~+\/]+=*/) != nil
}

/// The claims of a JWT (payload decoded, not verified).
func jwtClaims(_ jwt: String) throws -> [String: Any] {
    let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
    try #require(parts.count == 3, "not a JWT: \(jwt)")
    var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
    let data = try #require(Data(base64Encoded: payload), "JWT payload is not base64url")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Parses `export NAME='value'` lines by evaluating them in `sh` and printing every variable.
func evaluateInSh(_ exports: String, names: [String], sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: String] {
    let script = "eval \"$AUTHFLOW_E2E_OUT\"\n" + names.map { "printf '%s\\0' \"${\($0)-<unset>}\"" }.joined(separator: "\n")
    let result = try await sandbox.sh(script, variables: ["AUTHFLOW_E2E_OUT": exports])
    #expect(result.status == 0, "sh failed: \(String(decoding: result.stderr, as: UTF8.self))", sourceLocation: sourceLocation)
    let values = String(decoding: result.stdout, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    return Dictionary(uniqueKeysWithValues: zip(names, values).filter { $0.1 != "<unset>" })
}

extension String {
    /// An announced retry: `authflow: REASON; retrying in 1 s (…)`.
    var isRetryNotice: Bool { hasPrefix("authflow: ") && !hasPrefix("authflow: error: ") && contains("; retrying in ") }
}
