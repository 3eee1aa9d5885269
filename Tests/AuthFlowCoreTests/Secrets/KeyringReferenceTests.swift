import AuthFlowCore
import Foundation
import Testing

/// `keyring:SERVICE/ACCOUNT` references: parsing with positions and hints, resolving through a keychain.
@Suite struct KeyringReferenceTests {
    func parse(_ text: String) throws -> Result<SecretReference, Diagnostic> {
        let parsed = try YAMLLoader().parse(Array("secret: \"\(text)\"\n".utf8), file: "f.yaml")
        let node = try #require(parsed.root?["secret"])
        return SecretReference.parse(node, path: "client.secret")
    }

    @Test("SERVICE/ACCOUNT: the service runs to the first '/', the account may hold more",
          arguments: [("keyring:okta/client-secret", "okta", "client-secret"), ("keyring:corp/me@example.com/prod", "corp", "me@example.com/prod"),
                      ("keyring:my service/an account", "my service", "an account")])
    func parsesNames(text: String, service: String, account: String) throws {
        let reference = try parse(text).get()
        #expect(reference == .keyring(try #require(KeychainItemName(service: service, account: account))))
        #expect(reference.description == text, "the description is the reference as written (it holds no secret)")
    }

    @Test("a malformed name is an error at its position that says what is wrong and shows the form",
          arguments: [("keyring:", "needs SERVICE/ACCOUNT"), ("keyring:okta", "needs a '/' between service and account"),
                      ("keyring:/acct", "the service before '/' is empty"), ("keyring:okta/", "the account after '/' is empty"),
                      ("keyring:ok\\tta/a", "control characters")])
    func refusesMalformed(text: String, problem: String) throws {
        guard case .failure(let diagnostic) = try parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(diagnostic.message.hasPrefix("client.secret: 'keyring:' "), "\(diagnostic.message)")
        #expect(diagnostic.message.contains(problem), "\(diagnostic.message)")
        #expect(diagnostic.hint?.contains("keyring:SERVICE/ACCOUNT") == true)
        #expect(diagnostic.location.line == 1 && diagnostic.location.column == 9)
    }

    @Test("the hint for a bare value lists keyring: among the forms")
    func bareValueHintNamesKeyring() throws {
        guard case .failure(let diagnostic) = try parse("hunter2") else {
            Issue.record("a bare value was accepted")
            return
        }
        #expect(diagnostic.hint?.contains("keyring:SERVICE/ACCOUNT") == true)
    }

    func resolver(_ keychain: MemoryKeychain) -> SecretResolver {
        SecretResolver(environment: [:], baseDirectory: "/", keychain: keychain)
    }

    @Test("resolving reads the keychain item; a missing or empty one is a secret error (78) with the command that stores it")
    func resolves() async throws {
        let name = try #require(KeychainItemName("okta/client-secret"))
        let empty = try #require(KeychainItemName("okta/empty"))
        let keychain = MemoryKeychain([name: "s3cr3t", empty: ""])
        #expect(try await resolver(keychain).resolve(.keyring(name), field: "client.secret").reveal() == "s3cr3t")
        let missing = try #require(KeychainItemName("okta/other"))
        let error = await #expect(throws: AuthFlowError.self) { try await resolver(keychain).resolve(.keyring(missing), field: "client.secret") }
        #expect(error?.kind == .secret)
        #expect(error?.message == "client.secret: the keychain has no item okta/other")
        #expect(error?.hint?.contains("authflow keyring set okta/other") == true)
        let blank = await #expect(throws: AuthFlowError.self) { try await resolver(keychain).resolve(.keyring(empty), field: "grant.password") }
        #expect(blank?.message == "grant.password: the keychain item okta/empty is empty")
    }

    @Test("a keychain that cannot be asked passes its reason through as a secret error")
    func keychainFailure() async throws {
        let keychain = MemoryKeychain()
        keychain.failure = AuthFlowError(.secret, "the keychain item a/b is locked and could not be unlocked", hint: "unlock the keyring")
        let error = await #expect(throws: AuthFlowError.self) { try await resolver(keychain).resolve(.keyring(try #require(KeychainItemName("a/b"))), field: "client.secret") }
        #expect(error?.kind == .secret)
        #expect(error?.message.contains("locked") == true)
    }

    @Test("stdin for keyring set: one trailing newline stripped, nothing else; empty, NUL and oversized input refused",
          arguments: [("s3cr3t\n", "s3cr3t"), ("s3cr3t\r\n", "s3cr3t"), ("s3cr3t", "s3cr3t"), ("two\n\n", "two\n"), (" spaced \n", " spaced ")])
    func stdinInput(input: String, expected: String) throws {
        #expect(try SecretInput.secret(from: Array(input.utf8)).reveal() == expected)
    }

    @Test("empty, NUL, non-UTF-8 and oversized stdin are refused", arguments: [[], [10], [97, 0, 98], [0xff, 0xfe], Array(repeating: 97, count: Secret.maximumBytes + 3)])
    func stdinRefused(bytes: [UInt8]) throws {
        let error = #expect(throws: AuthFlowError.self) { try SecretInput.secret(from: bytes) }
        #expect(error?.kind == .secret)
    }
}
