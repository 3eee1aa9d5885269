import ArgumentParser
import AuthFlowCore
import Foundation

extension CompletionKind {
    /// Completes profile names from the profile file the command would use (`-c`, `$AUTHFLOW_CONFIG`, ...).
    static var profileNames: CompletionKind {
        .custom { words, _, prefix in
            ProfileNameCompletion(environment: ProcessInfo.processInfo.environment).names(words: words, prefix: prefix)
        }
    }
}
