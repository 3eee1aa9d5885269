import Foundation

/// Runs a `command:` secret source: no shell, a time limit, stdout trimmed, stderr shown on failure.
struct SecretCommand: Sendable {
    let argv: [String]
    let environment: [String: String]
    let directory: String
    let timeout: Duration

    func run(field: String) async throws -> Secret {
        guard let program = argv.first, let executable = locate(program) else {
            throw AuthFlowError(.secret, "\(field): command '\(argv.first ?? "")' was not found", hint: "install it or give its full path; commands run without a shell")
        }
        let box = ProcessBox()
        let process = box.process
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AuthFlowError(.secret, "\(field): command '\(program)' could not start: \(error.localizedDescription)", hint: "check that it is executable")
        }
        let timeout = self.timeout
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            box.timedOut = true
            box.process.terminate()
        }
        async let output = Self.readAll(stdout.fileHandleForReading)
        async let errors = Self.readAll(stderr.fileHandleForReading)
        let (outData, errData) = await (output, errors)
        await Self.wait(box)
        watchdog.cancel()
        if box.timedOut {
            throw AuthFlowError(.secret, "\(field): command '\(program)' did not finish within \(timeout)", hint: "check that it does not wait for input")
        }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errData, as: UTF8.self).sanitizedForTerminal(limit: 500)
            throw AuthFlowError(.secret, "\(field): command '\(program)' exited with status \(process.terminationStatus)\(text.isEmpty ? "" : ": \(text)")",
                                hint: "run the command yourself to see what it needs")
        }
        let value = String(decoding: outData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw AuthFlowError(.secret, "\(field): command '\(program)' printed nothing", hint: "the command must print the secret on stdout")
        }
        return Secret(value)
    }

    private func locate(_ program: String) -> String? {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (directory as NSString).appendingPathComponent(program)
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func readAll(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            let box = HandleBox(handle: handle)
            DispatchQueue.global().async { continuation.resume(returning: box.handle.readDataToEndOfFile()) }
        }
    }

    private static func wait(_ box: ProcessBox) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                box.process.waitUntilExit()
                continuation.resume()
            }
        }
    }
}

/// Carries a `Process` across tasks; it is only touched by one task at a time.
private final class ProcessBox: @unchecked Sendable {
    let process = Process()
    var timedOut = false
}

private struct HandleBox: @unchecked Sendable {
    let handle: FileHandle
}

extension String {
    /// Server or tool text made safe to show: control characters removed, whitespace folded, length capped.
    public func sanitizedForTerminal(limit: Int = 300) -> String {
        let cleaned = unicodeScalars.map { scalar -> String in
            if scalar == "\n" || scalar == "\r" || scalar == "\t" { return " " }
            let category = scalar.properties.generalCategory
            if category == .control || category == .format || scalar.value == 0x2028 || scalar.value == 0x2029 { return "" }
            return String(scalar)
        }.joined()
        let folded = cleaned.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return folded.count > limit ? String(folded.prefix(limit)) + "…" : folded
    }
}
