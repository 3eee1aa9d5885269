@testable import AuthFlowCore
import Foundation
import Testing

@Suite struct SecretResolverTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func resolver(_ environment: [String: String] = [:], timeout: Duration = .seconds(60)) -> SecretResolver {
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/bin:/bin"
        return SecretResolver(environment: env, baseDirectory: folder, commandTimeout: timeout, prompter: NoTerminal())
    }

    @Test func secretPrintsRedacted() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(SecretReference.literal(secret).description == "literal:<redacted>")
    }

    @Test func environmentVariable() async throws {
        #expect(try await resolver(["S": "v"]).resolve(.env("S"), field: "client.secret").reveal() == "v")
        let unset = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.env("MISSING"), field: "client.secret") }
        #expect(unset?.kind == .secret)
        #expect(unset?.message.contains("MISSING is not set") == true)
        let empty = await #expect(throws: AuthFlowError.self) { try await resolver(["E": ""]).resolve(.env("E"), field: "f") }
        #expect(empty?.message.contains("E is empty") == true)
    }

    @Test func fileRelativeToProfileFolderWithOneNewlineStripped() async throws {
        try "s3cret\n\n".write(toFile: folder + "/secret.txt", atomically: true, encoding: .utf8)
        #expect(try await resolver().resolve(.file("./secret.txt"), field: "f").reveal() == "s3cret\n")
        try "home".write(toFile: folder + "/h.txt", atomically: true, encoding: .utf8)
        #expect(try await resolver(["HOME": folder]).resolve(.file("~/h.txt"), field: "f").reveal() == "home")
        let missing = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.file("nope"), field: "grant.password") }
        #expect(missing?.kind == .secret)
        #expect(missing?.message.contains("\(folder)/nope does not exist") == true)
    }

    @Test("an unreadable secret file names the OS reason and the fix: a folder, a file in the way, permission denied")
    func unreadableFileSaysWhy() async throws {
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        let isFolder = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.file("keys"), field: "client.secret") }
        #expect(isFolder?.kind == .secret)
        #expect(isFolder?.message == "client.secret: secret file \(folder)/keys is a folder, not a file")
        #expect(isFolder?.hint?.contains("name the file inside it") == true)
        try "x".write(toFile: folder + "/plain", atomically: true, encoding: .utf8)
        let notFolder = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.file("plain/secret"), field: "f") }
        #expect(notFolder?.message.hasSuffix("cannot be read: not a directory") == true, "\(notFolder?.message ?? "")")
        // Root reads any file, so permission denied is checked on the reason itself.
        let denied = SecretResolver.unreadable("/p/s", errno: EACCES, field: "f")
        #expect(denied.message == "f: secret file /p/s cannot be read: permission denied")
        #expect(denied.hint?.contains("ls -l /p/s") == true && denied.hint?.contains("chmod 600") == true)
    }

    @Test func readableSecretFileWarns() async throws {
        let path = folder + "/open.txt"
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let warnings = Warnings()
        var resolver = resolver()
        resolver.warn = { warnings.add($0) }
        _ = try await resolver.resolve(.file(path), field: "f")
        #expect(warnings.all.first?.contains("chmod 600 \(path)") == true)
    }

    @Test func commandRunsWithoutShellAndTrims() async throws {
        let value = try await resolver().resolve(.command(["printf", "  %s\\n", "$HOME;x"]), field: "f")
        #expect(value.reveal() == "$HOME;x")
    }

    @Test func failingCommandShowsItsStderr() async throws {
        let error = await #expect(throws: AuthFlowError.self) {
            try await resolver().resolve(.command(["sh", "-c", "echo 'vault is sealed' >&2; exit 3"]), field: "client.secret")
        }
        #expect(error?.kind == .secret)
        #expect(error?.message.contains("exited with status 3: vault is sealed") == true)
    }

    @Test func missingCommandAndTimeout() async throws {
        let missing = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.command(["no-such-program-xyz"]), field: "f") }
        #expect(missing?.message.contains("was not found") == true)
        let slow = await #expect(throws: AuthFlowError.self) {
            try await resolver(timeout: .milliseconds(300)).resolve(.command(["sleep", "5"]), field: "f")
        }
        #expect(slow?.message.contains("did not finish") == true)
    }

    @Test func promptWithoutTerminalIsASecretError() async throws {
        let error = await #expect(throws: AuthFlowError.self) { try await resolver().resolve(.prompt, field: "grant.password") }
        #expect(error?.kind == .secret)
    }

    @Test func parsesReferenceForms() throws {
        let text = "a: env:X\nb: file:~/s\nc: prompt\nd: literal:v\ne: {command: [pass, show]}\nf: bare\ng: env:1X\n"
        let root = try #require(try YAMLLoader().parse(Array(text.utf8), file: "f").root)
        func parse(_ key: String) -> Result<SecretReference, Diagnostic>? { root[key].map { SecretReference.parse($0, path: key) } }
        #expect(try parse("a")?.get() == .env("X"))
        #expect(try parse("b")?.get() == .file("~/s"))
        #expect(try parse("c")?.get() == .prompt)
        #expect(try parse("d")?.get() == .literal(Secret("v")))
        #expect(try parse("e")?.get() == .command(["pass", "show"]))
        guard case .failure(let bare) = parse("f"), case .failure(let badName) = parse("g") else {
            Issue.record("bare values and bad names must fail")
            return
        }
        #expect(bare.hint?.contains("env:NAME") == true)
        #expect(!bare.message.contains("bare\"") && bare.masksSource)
        #expect(badName.message.contains("'1X' is not an environment variable name"))
    }
}

struct NoTerminal: SecretPrompter {
    func ask(_ label: String) throws -> String {
        throw AuthFlowError(.secret, "\(label) 'prompt' needs a terminal and there is none")
    }
}

final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ text: String) { lock.withLock { items.append(text) } }
    var all: [String] { lock.withLock { items } }
}
