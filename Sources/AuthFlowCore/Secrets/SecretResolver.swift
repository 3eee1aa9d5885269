import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks the user for a secret; the real one reads the terminal with echo off.
public protocol SecretPrompter: Sendable {
    /// Shows `label` and returns what the user typed, or throws when there is no terminal.
    func ask(_ label: String) throws -> String
    /// Asks a question whose answer is not secret (which second factor), echo on; throws when there is no terminal.
    func choose(_ question: String) throws -> String
}

extension SecretPrompter {
    /// Asks as `ask` does, for prompters that have one way of asking.
    public func choose(_ question: String) throws -> String { try ask(question) }
}

/// Turns secret references into values. Nothing is resolved until a request needs it.
public struct SecretResolver: Sendable {
    /// The process environment used for `env:`.
    public var environment: [String: String]
    /// The folder relative `file:` paths start from (the profile file's folder).
    public var baseDirectory: String
    /// How long a `command:` may run.
    public var commandTimeout: Duration
    /// Where `prompt` asks.
    public var prompter: any SecretPrompter
    /// Receives warnings (a secret file readable by others).
    public var warn: @Sendable (String) -> Void
    /// Where `keyring:` looks.
    public var keychain: any Keychain

    /// Creates a resolver.
    public init(environment: [String: String], baseDirectory: String, commandTimeout: Duration = .seconds(30),
                prompter: any SecretPrompter = TerminalPrompter(), warn: @escaping @Sendable (String) -> Void = { _ in },
                keychain: any Keychain = SystemKeychain()) {
        self.environment = environment
        self.baseDirectory = baseDirectory
        self.commandTimeout = commandTimeout
        self.prompter = prompter
        self.warn = warn
        self.keychain = keychain
    }

    /// The value of `reference`; `field` (`grant.password`) names it in errors.
    public func resolve(_ reference: SecretReference, field: String) async throws -> Secret {
        switch reference {
        case .literal(let secret):
            return secret
        case .env(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw AuthFlowError(.secret, "\(field): environment variable \(name) is \(environment[name] == nil ? "not set" : "empty")",
                                    hint: "export \(name)=... before running authflow, or point \(field) at another source")
            }
            guard value.utf8.count <= Secret.maximumBytes else {
                throw AuthFlowError(.secret, "\(field): environment variable \(name) holds more than \(Secret.maximumBytes / 1024) KiB",
                                    hint: "a secret is a line or a key; check what \(name) holds")
            }
            return Secret(value)
        case .file(let path):
            return try readFile(path, field: field)
        case .command(let argv):
            return try await SecretCommand(argv: argv, environment: environment, directory: baseDirectory, timeout: commandTimeout).run(field: field)
        case .keyring(let name):
            guard let secret = try keychain.secret(for: name) else {
                throw AuthFlowError(.secret, "\(field): the keychain has no item \(name)",
                                    hint: "store it with: authflow keyring set \(name) (or secret-tool store --label=\(name.service) service \(name.service) account \(name.account))")
            }
            guard !secret.reveal().isEmpty else {
                throw AuthFlowError(.secret, "\(field): the keychain item \(name) is empty", hint: "store the secret again with: authflow keyring set \(name)")
            }
            return secret
        case .prompt:
            let value = try prompter.ask("\(field): ")
            guard !value.isEmpty else {
                throw AuthFlowError(.secret, "\(field): nothing was entered", hint: "type the value at the prompt")
            }
            return Secret(value)
        }
    }

    /// The absolute path a `file:` reference names.
    public func absolutePath(_ path: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            let home = environment["HOME"] ?? NSHomeDirectory()
            expanded = home + expanded.dropFirst()
        }
        if !expanded.hasPrefix("/") {
            expanded = (baseDirectory as NSString).appendingPathComponent(expanded)
        }
        return (expanded as NSString).standardizingPath
    }

    /// Why `path` cannot be opened, in words, with the fix for that reason.
    static func unreadable(_ path: String, errno code: Int32, field: String) -> AuthFlowError {
        switch code {
        case ENOENT:
            return AuthFlowError(.secret, "\(field): secret file \(path) does not exist", hint: "check the path in \(field) (relative paths start at the profile file's folder)")
        case EACCES, EPERM:
            return AuthFlowError(.secret, "\(field): secret file \(path) cannot be read: permission denied",
                                 hint: "check its owner and mode (ls -l \(path)); a secret file should be yours and chmod 600")
        default:
            let reason = String(cString: strerror(code)).lowercased()
            return AuthFlowError(.secret, "\(field): secret file \(path) cannot be read: \(reason)", hint: "check the path in \(field) and the folders above it")
        }
    }

    private func readFile(_ path: String, field: String) throws -> Secret {
        let absolute = absolutePath(path)
        // At most one byte past the cap is read: a huge file (or /dev/zero) must not fill memory.
        var info = stat()
        if stat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw AuthFlowError(.secret, "\(field): secret file \(absolute) is a folder, not a file",
                                hint: "name the file inside it in \(field) (relative paths start at the profile file's folder)")
        }
        let fd = open(absolute, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.unreadable(absolute, errno: errno, field: field) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.read(upToCount: Secret.maximumBytes + 1) ?? Data() else {
            throw AuthFlowError(.secret, "\(field): secret file \(absolute) cannot be read", hint: "check that it is a regular file you can read (ls -l \(absolute))")
        }
        guard data.count <= Secret.maximumBytes else {
            throw AuthFlowError(.secret, "\(field): secret file \(absolute) is larger than \(Secret.maximumBytes / 1024) KiB",
                                hint: "a secret file holds one secret; check the path in \(field)")
        }
        if let mode = SecretFilePermissions.looseMode(atPath: absolute) {
            warn("\(SecretFilePermissions.problem(absolute, mode: mode)); run: \(SecretFilePermissions.fix(absolute))")
        }
        var value = String(decoding: data, as: UTF8.self)
        if value.hasSuffix("\r\n") { value.removeLast(2) } else if value.hasSuffix("\n") { value.removeLast() }
        guard !value.isEmpty else {
            throw AuthFlowError(.secret, "\(field): secret file \(absolute) is empty", hint: "write the secret into the file")
        }
        return Secret(value)
    }
}
