import ArgumentParser
import AuthFlowCore

/// Prints `authflow_env`, a shell function that keeps authflow's exit status (see `env --help`).
struct ShellInitCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell-init",
        abstract: "Print the authflow_env shell function for your rc file: authflow env that keeps authflow's exit status.",
        discussion: """
            bash or zsh (~/.bashrc, ~/.zshrc):  eval "$(authflow shell-init bash)"
            fish (~/.config/fish/config.fish):  authflow shell-init fish | source
            Then: authflow_env prod && curl -H "Authorization: Bearer $AUTHFLOW_ACCESS_TOKEN" ...
            """)

    @Argument(help: ArgumentHelp("The shell: \(ShellInit.shells.joined(separator: ", ")).", valueName: "SHELL")) var shell: String

    func validate() throws {
        guard ShellInit.script(for: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)'; choose one of \(ShellInit.shells.joined(separator: ", "))")
        }
    }

    func output() async throws -> String {
        ShellInit.script(for: shell) ?? ""
    }
}
