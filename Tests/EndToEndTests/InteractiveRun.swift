import Foundation
import Testing

/// An authflow run in the background whose stderr the test reads while it runs, to play the
/// user of an interactive grant (device code, browser login). Built on `Subprocess` through
/// `sh -c 'exec authflow ... 2> FILE'`, so the harness stays as it is.
final class InteractiveRun: @unchecked Sendable {
    let stderrURL: URL
    private let task: Task<ProcessOutput, any Error>
    let arguments: [String]

    init(_ sandbox: Sandbox, _ arguments: [String], env: [String: String] = [:], timeout: Duration = .seconds(60)) throws {
        stderrURL = sandbox.root.appendingPathComponent("live-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        self.arguments = arguments
        var environment = sandbox.environment.merging(env) { $1 }
        environment["AUTHFLOW_E2E_BINARY"] = try AuthFlowBinary.url().path
        environment["AUTHFLOW_E2E_STDERR"] = stderrURL.path
        let sh = try #require(Subprocess.which("sh"))
        let work = sandbox.work
        task = Task {
            try await Subprocess.run(sh, ["-c", #"exec "$AUTHFLOW_E2E_BINARY" "$@" 2> "$AUTHFLOW_E2E_STDERR""#, "sh"] + arguments,
                                     environment: environment, directory: work, timeout: timeout)
        }
    }

    /// stderr so far.
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until stderr matches `pattern` and returns the first capture group (or the match).
    func await(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = stderr
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) {
                let range = Range(match.range(at: match.numberOfRanges > 1 ? 1 : 0), in: text)
                return range.map { String(text[$0]) } ?? ""
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw InteractiveTimeout(description: "stderr never matched \(pattern): \(stderr)")
    }

    /// Waits for the process and returns its result, stderr included.
    func result() async throws -> RunResult {
        let output = try await task.value
        return RunResult(arguments: arguments, exitCode: output.signaled ? 128 + output.status : output.status,
                         stdout: String(decoding: output.stdout, as: UTF8.self), stderr: stderr,
                         duration: output.duration, timedOut: output.timedOut)
    }
}

struct InteractiveTimeout: Error, CustomStringConvertible {
    let description: String
}
