import ArgumentParser
import AuthFlowCore

struct RevokeCommand: PrintingCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke the profile's cached tokens at the server (RFC 7009) and forget them.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String

    func output() async throws -> String {
        let service = Runner.service(options)
        let result = try await service.revoke(try Runner.profile(profile, options))
        guard !result.revoked.isEmpty else { return "no cached token for \(profile); nothing to revoke\n" }
        let names = result.revoked.map { $0 == .refreshToken ? "refresh token" : "access token" }.joined(separator: " and ")
        return "revoked the \(names) of \(profile)\n"
    }
}
