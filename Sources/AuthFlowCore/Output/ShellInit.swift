/// The `authflow_env` function `authflow shell-init SHELL` prints for an rc file: it sets the token
/// variables like `eval "$(authflow env ...)"` does, but returns authflow's status, which `eval "$(...)"`
/// loses (the shell reports the status of `eval ""`), so `authflow_env prod && curl ...` and `set -e` work.
public enum ShellInit {
    /// The shells it writes for.
    public static let shells = ["bash", "zsh", "sh", "fish"]

    /// The function for `shell`, or nil for a shell it does not know.
    public static func script(for shell: String) -> String? {
        switch shell {
        case "bash", "zsh", "sh":
            return """
                # authflow_env PROFILE [OPTIONS]: set the token variables; returns authflow's status.
                authflow_env() {
                  __authflow_env_out=$(command authflow env --shell sh "$@") || { __authflow_env_status=$?; unset __authflow_env_out; return "$__authflow_env_status"; }
                  eval "$__authflow_env_out"
                  unset __authflow_env_out
                }

                """
        case "fish":
            return """
                # authflow_env PROFILE [OPTIONS]: set the token variables; returns authflow's status.
                function authflow_env --description "Set an authflow profile's token variables"
                    set -l out (command authflow env --shell fish $argv)
                    or return $status
                    printf '%s\\n' $out | source
                end

                """
        default:
            return nil
        }
    }
}
