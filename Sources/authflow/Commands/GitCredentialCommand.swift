import ArgumentParser
import AuthFlowCore
import Foundation

struct GitCredentialCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-credential",
        abstract: "A git credential helper: answers 'get' with the token as the password.",
        discussion: "git config credential.https://git.example.com.helper '!authflow git-credential PROFILE'")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String
    @Argument(help: "get, store or erase (sent by git).") var operation: String

    func output() async throws -> String {
        let attributes = try GitCredential.parse(FileHandle.standardInput.readDataToEndOfFile())
        let loaded = try Runner.profile(profile, options)
        if let host = loaded.git.host, let asked = attributes["host"], asked.lowercased() != host.lowercased() {
            return ""  // not ours: git asks its next helper
        }
        switch operation {
        case "get":
            let token = try await Runner.token(for: loaded, options, cache: cache)
            return try GitCredential.answer(username: loaded.git.username, token: token, options: OutputOptions(profile: loaded.name))
        case "erase":
            // git rejected the token: forget it so the next 'get' fetches a fresh one.
            TokenCache(folder: CacheFolder(environment: Runner.environment), warn: Runner.warn).remove(CacheKey(loaded))
            return ""
        case "store":
            return ""
        default:
            throw AuthFlowError(.usage, "unknown git credential operation '\(operation)'", hint: "git calls this helper with get, store or erase")
        }
    }
}
