import ArgumentParser
import AuthFlowCore

struct KubectlCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl",
        abstract: "Print a Kubernetes ExecCredential, for a kubeconfig's users[].user.exec.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String

    func output() async throws -> String {
        let execInfo = ExecCredentialWriter.fromExecInfo(Runner.environment["KUBERNETES_EXEC_INFO"])
        return try await Runner.write(profile: profile, options: options, cache: cache, writer: execInfo.writer, interactive: execInfo.interactive)
    }
}
