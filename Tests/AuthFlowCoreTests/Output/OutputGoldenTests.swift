import AuthFlowCore
import Foundation
import Testing

/// Each writer's whole output for fixed tokens, compared with `Fixtures/golden/*.txt`.
/// `AUTHFLOW_UPDATE_GOLDEN=1 swift test --filter OutputGolden` rewrites the files in the source tree.
@Suite struct OutputGoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let writer: any OutputWriter
        let options: OutputOptions
        let token: TokenSet
        var testDescription: String { file }
    }

    static let cases: [Case] = {
        typealias F = OutputFixtures
        var cases = [
            Case(file: "raw.txt", writer: RawWriter(), options: F.options(), token: F.full),
            Case(file: "raw-id-token.txt", writer: RawWriter(), options: F.options(useIDToken: true), token: F.full),
            Case(file: "header.txt", writer: HeaderWriter(), options: F.options(), token: F.full),
            Case(file: "header-id-token.txt", writer: HeaderWriter(), options: F.options(useIDToken: true), token: F.full),
            Case(file: "json.txt", writer: JSONWriter(), options: F.options(), token: F.full),
            Case(file: "json-minimal.txt", writer: JSONWriter(), options: F.options(), token: F.minimal),
            Case(file: "env-sh-minimal.txt", writer: EnvWriter(), options: F.options(prefix: "MY_APP_"), token: F.minimal),
            Case(file: "curl.txt", writer: CurlWriter(), options: F.options(), token: F.full),
            Case(file: "k8s.txt", writer: ExecCredentialWriter(), options: F.options(), token: F.full),
            Case(file: "k8s-v1beta1.txt", writer: ExecCredentialWriter(apiVersion: ExecCredentialWriter.v1beta1), options: F.options(), token: F.full),
            Case(file: "template-json.txt", writer: F.template(.json), options: F.options(), token: F.full),
            Case(file: "template-shell.txt", writer: F.template(.shell), options: F.options(), token: F.full),
            Case(file: "template-none.txt", writer: F.template(.none), options: F.options(), token: F.full),
        ]
        for dialect in ShellDialects.all {
            cases.append(Case(file: "env-\(dialect.name).txt", writer: EnvWriter(), options: F.options(dialect), token: F.full))
            if dialect.name != "dotenv" {
                cases.append(Case(file: "env-\(dialect.name)-quoting.txt", writer: EnvWriter(), options: F.options(dialect), token: F.quoting))
            }
            if dialect.name == "fish" || dialect.name == "powershell" {
                cases.append(Case(file: "env-\(dialect.name)-minimal.txt", writer: EnvWriter(), options: F.options(dialect), token: F.minimal))
            }
        }
        return cases
    }()

    @Test(arguments: cases)
    func matchesGoldenFile(_ golden: Case) throws {
        let actual = try golden.writer.write(golden.token, options: golden.options)
        if ProcessInfo.processInfo.environment["AUTHFLOW_UPDATE_GOLDEN"] == "1" {
            let directory = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/golden", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: directory.appendingPathComponent(golden.file), atomically: true, encoding: .utf8)
            return
        }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = fixtures.appendingPathComponent("golden").appendingPathComponent(golden.file)
        let expected = try #require(
            try? String(contentsOf: url, encoding: .utf8),
            "missing \(golden.file); run AUTHFLOW_UPDATE_GOLDEN=1 swift test --filter OutputGolden"
        )
        #expect(actual == expected)
    }

    @Test func everyWriterAndDialectHasAGoldenFile() {
        let files = Set(Self.cases.map(\.file))
        for name in OutputFormats.names where name != "env" {
            #expect(files.contains("\(name).txt"))
        }
        for name in ShellDialects.names {
            #expect(files.contains("env-\(name).txt"))
        }
    }
}
