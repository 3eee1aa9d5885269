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

    /// The script for the shell named on the command line.
    @Argument(help: ArgumentHelp("The shell: \(ShellInit.shells.joined(separator: ", ")).", valueName: "SHELL"), transform: { name in
        guard let script = ShellInit.script(for: name) else {
            throw ValidationError("unknown shell '\(name)'; choose one of \(ShellInit.shells.joined(separator: ", "))")
        }
        return script
    }) var script: String

    func output() async throws -> String { script }
}
