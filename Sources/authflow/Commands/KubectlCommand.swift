import ArgumentParser
import AuthFlowCore

struct KubectlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl",
        abstract: "Print a Kubernetes ExecCredential, for a kubeconfig's users[].user.exec.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var cache: CacheOptions
    @Argument(help: "The profile.", completion: .profileNames) var profile: String

    func run() async throws {
        let execInfo = ExecCredentialWriter.fromExecInfo(Runner.environment["KUBERNETES_EXEC_INFO"])
        await Runner.run {
            try await Runner.write(profile: profile, options: options, cache: cache, writer: execInfo.writer, interactive: execInfo.interactive)
        }
    }
}
