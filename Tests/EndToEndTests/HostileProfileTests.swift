import Foundation
import Testing

/// `authflow validate` on files built to exhaust it, run under a 256 MiB address-space limit
/// (`ulimit -v`): each is refused with a clear message, quickly, and the output stays small.
/// The loader's own limits are unit-tested in YAMLLoaderTests; this checks the whole binary.
@Suite("hostile profile files")
struct HostileProfileTests {
    static func aliasBomb() -> String {
        var text = "version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
        }
        return text
    }

    static let cases: [(name: String, text: String, message: String)] = [
        ("alias bomb", aliasBomb(), "the document expands to more than 100000 nodes"),
        ("100,000-deep flow sequence", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "nesting deeper than 64 levels"),
        // Thousands of problems on one 150 KB line: each used to print the whole line (1.3 GB of stderr).
        ("one long line of problems", "version: 1\nprofiles: {" + (0..<10_000).map { "p\($0): x" }.joined(separator: ", ") + "}\n", "expected a mapping"),
        ("over 1 MiB", "version: 1\n#" + String(repeating: "x", count: 1 << 20) + "\n", "the limit is 1048576"),
    ]

    @Test("refused in bounded memory, time and output", arguments: cases.map(\.name))
    func refused(name: String) async throws {
        let hostile = try #require(Self.cases.first { $0.name == name })
        let sandbox = try Sandbox()
        let file = try sandbox.write(hostile.text, to: "hostile.yaml")
        let binary = try AuthFlowBinary.url()
        let started = ContinuousClock.now
        let output = try await sandbox.sh(#"ulimit -v 262144 && exec "$AUTHFLOW" validate -c "$FILE""#, variables: ["AUTHFLOW": binary.path, "FILE": file.path])
        let elapsed = ContinuousClock.now - started
        let stderr = String(decoding: output.stderr, as: UTF8.self)
        #expect(!output.signaled && output.status == 65, "exit \(output.status)\(output.signaled ? " (signal)" : ""): \(stderr.prefix(500))")
        #expect(stderr.contains(hostile.message), "\(stderr.prefix(500))")
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.count < 8 << 20, "\(output.stderr.count) bytes of stderr")
        // A bound against blow-ups (seconds for a file validate reads in milliseconds), wide enough for a loaded machine.
        #expect(elapsed < .seconds(60), "took \(elapsed)")
    }
}
