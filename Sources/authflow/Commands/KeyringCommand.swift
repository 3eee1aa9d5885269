import ArgumentParser
import AuthFlowCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `authflow keyring set|delete|list`: secrets in the OS keychain, for `keyring:SERVICE/ACCOUNT` references.
struct KeyringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyring",
        abstract: "Store, remove and list secrets in the OS keychain, for keyring:SERVICE/ACCOUNT references.",
        discussion: """
            Linux: the Secret Service (GNOME Keyring, KeePassXC, KWallet) through libsecret; macOS: the login \
            keychain. A profile names a stored secret as keyring:SERVICE/ACCOUNT.
            """,
        subcommands: [SetSecret.self, Delete.self, List.self])

    struct SetSecret: PrintingCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Store a secret: asked on the terminal with echo off, or read from stdin when it is not a terminal.",
            discussion: "One trailing newline of stdin is stripped. An item of the same SERVICE/ACCOUNT is replaced.")

        @Argument(help: ArgumentHelp("The item's name, as in keyring:SERVICE/ACCOUNT.", valueName: "SERVICE/ACCOUNT")) var name: String

        func output() async throws -> String {
            let item = try KeyringCommand.item(name)
            let secret = try Self.read(item)
            try SystemKeychain().store(secret, for: item, label: "authflow: \(item)")
            return "stored \(item) in the keychain\n"
        }

        /// The secret from the terminal (echo off) when stdin is one, else all of stdin.
        static func read(_ item: KeychainItemName) throws -> Secret {
            if isatty(STDIN_FILENO) == 1 {
                let typed = try TerminalPrompter().ask("Secret for \(item): ")
                return try SecretInput.secret(from: Array(typed.utf8))
            }
            let data = (try? FileHandle.standardInput.read(upToCount: Secret.maximumBytes + 3)) ?? nil
            return try SecretInput.secret(from: Array(data ?? Data()))
        }
    }

    struct Delete: PrintingCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a secret from the OS keychain.")

        @Argument(help: ArgumentHelp("The item's name, as in keyring:SERVICE/ACCOUNT.", valueName: "SERVICE/ACCOUNT")) var name: String

        func output() async throws -> String {
            let item = try KeyringCommand.item(name)
            return try SystemKeychain().delete(item) ? "removed \(item) from the keychain\n" : "the keychain has no item \(item)\n"
        }
    }

    struct List: PrintingCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the names of the secrets authflow stored (never their values).")

        func output() async throws -> String {
            try SystemKeychain().storedNames().map { "\($0)\n" }.joined()
        }
    }

    /// `text` as an item name, or a usage error saying what is wrong with it.
    static func item(_ text: String) throws -> KeychainItemName {
        guard let item = KeychainItemName(text) else {
            throw AuthFlowError(.usage, "'\(text.sanitizedForTerminal())' is not a keychain item name: \(KeychainItemName.problem(text) ?? "needs SERVICE/ACCOUNT")",
                                hint: "write SERVICE/ACCOUNT, such as okta/client-secret")
        }
        return item
    }
}
