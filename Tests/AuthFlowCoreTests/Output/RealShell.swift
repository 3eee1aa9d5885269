import AuthFlowCore
import Foundation
import Testing

/// A shell installed on this machine that the env writer's output is run in.
struct RealShell: Sendable, CustomTestStringConvertible {
    let name: String
    let dialect: any ShellDialect
    /// Arguments before the script.
    let arguments: [String]
    /// A statement printing each variable followed by a newline (values never hold one).
    let printer: @Sendable ([String]) -> String

    var testDescription: String { name }

    static let posixPrinter: @Sendable ([String]) -> String = { names in
        "printf '%s\\n'" + names.map { " \"$\($0)\"" }.joined() + "\n"
    }
    static let sh = RealShell(name: "sh", dialect: ShDialect(), arguments: ["-c"], printer: posixPrinter)
    static let bash = RealShell(name: "bash", dialect: ShDialect(), arguments: ["--norc", "--noprofile", "-c"], printer: posixPrinter)
    static let zsh = RealShell(name: "zsh", dialect: ShDialect(), arguments: ["-f", "-c"], printer: posixPrinter)
    static let fish = RealShell(name: "fish", dialect: FishDialect(), arguments: ["--no-config", "-c"], printer: posixPrinter)
    /// dotenv lines are plain `sh` assignments, so sh reads back whatever dotenv agrees to write.
    static let dotenvInSh = RealShell(name: "sh", dialect: DotenvDialect(), arguments: ["-c"], printer: posixPrinter)
    static let pwsh = RealShell(name: "pwsh", dialect: PowerShellDialect(), arguments: ["-NoProfile", "-NonInteractive", "-Command"]) { names in
        "[Console]::Out.Write(" + names.map { "$Env:\($0) + \"`n\"" }.joined(separator: " + ") + ")\n"
    }

    /// Shells every machine has; a missing one fails the test.
    static let required = [sh, bash]

    /// Whether the tests in this shell run: when it is installed, and always in CI (`CI=true`), where
    /// .ci/run installs zsh and fish, so a missing one fails the run instead of skipping it.
    var runsHere: Bool { executable != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The executable on `PATH`, or nil.
    var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `output` then prints `variables`; returns stdout, or throws with the shell's stderr.
    func evaluate(_ output: String, printing variables: [String]) throws -> String {
        guard let executable else { throw ShellFailure(message: "\(name) is not installed (apt-get install \(name)); .ci/run installs it") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + [output + printer(variables)]
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
            "LC_ALL": "C.UTF-8",
        ]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellFailure(message: "\(name) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

struct ShellFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
