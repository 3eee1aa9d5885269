import AuthFlowCore
import Foundation

/// The profile pipeline as `authflow validate` runs it: bytes → libyaml → located nodes →
/// `ProfileFile` validation → either a usable file or diagnostics, rendered like a compiler.
///
/// Properties: only `DiagnosticsError` (or the size refusal) comes out; every diagnostic points
/// inside the file; the rendered text names every diagnostic and holds no terminal control
/// character a hostile repository's file could smuggle in; `--json` output is JSON; a valid
/// file's profiles can all be built.
enum ProfileFuzz {
    static let file = "fuzz.yaml"

    static func check(_ data: Data) throws {
        let bytes = [UInt8](data)
        let parsed: (root: YAMLNode?, source: String)
        do {
            parsed = try YAMLLoader().parse(bytes, file: file)
        } catch let error as DiagnosticsError {
            try checkDiagnostics(error, bytes: bytes)
            return
        } catch let error as AuthFlowError {
            try require(error.kind.exitCode == 65 && bytes.count > YAMLLoader.Limits().maxBytes, "loader threw \(error.kind) for \(bytes.count) bytes: \(error.message)")
            return
        }
        let loaded: ProfileFile
        do {
            loaded = try ProfileFile(root: parsed.root, source: parsed.source, path: file)
        } catch let error as DiagnosticsError {
            try checkDiagnostics(error, bytes: bytes)
            return
        }
        try require(!loaded.profileNames.isEmpty, "a valid file has no usable profile")
        for name in loaded.profileNames {
            try require(ProfileFile.isValidName(name) && !name.hasPrefix("."), "usable profile name '\(shown(name))'")
            // Variables may be unset: that is a diagnostic, not a crash.
            do {
                _ = try loaded.profile(named: name, environment: ["HOME": "/home/fuzz"])
            } catch let error as DiagnosticsError {
                try checkDiagnostics(error, bytes: bytes)
            }
        }
    }

    static func checkDiagnostics(_ error: DiagnosticsError, bytes: [UInt8]) throws {
        try require(!error.diagnostics.isEmpty, "a DiagnosticsError with no diagnostics")
        // Lines as a text editor counts them; libyaml may point one past the last line at end of input.
        let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
        for diagnostic in error.diagnostics {
            let location = diagnostic.location
            try require(location.file == file, "diagnostic names file '\(shown(location.file))'")
            try require(location.line >= 1 && location.line <= lineCount + 1, "diagnostic at line \(location.line) of a \(lineCount)-line file: \(shown(diagnostic.message))")
            try require(location.column >= 1, "diagnostic at column \(location.column)")
            try require(!diagnostic.message.isEmpty, "diagnostic without a message")
        }
        let rendered = DiagnosticRenderer(source: error.source).render(error.diagnostics)
        try require(!hasTerminalControl(rendered), "rendered diagnostics hold a control character: \(shown(rendered, limit: 400))")
        // Bounded: the message and hint, plus a window of the source line and the caret line, per diagnostic.
        let budget = error.diagnostics.reduce(0) { sum, diagnostic in
            sum + diagnostic.location.description.utf8.count + diagnostic.message.utf8.count + (diagnostic.hint?.utf8.count ?? 0) + 64 + 2 * 4 * (DiagnosticRenderer.window + 4)
        }
        try require(rendered.utf8.count <= budget, "rendered diagnostics take \(rendered.utf8.count) bytes for \(error.diagnostics.count) diagnostics")
        for diagnostic in error.diagnostics {
            try require(rendered.contains("\(diagnostic.location): \(diagnostic.severity.rawValue): "), "rendered text lacks the header of a diagnostic at \(diagnostic.location)")
        }
        let json = error.diagnostics.jsonText
        let reparsed = try? JSONSerialization.jsonObject(with: Data(json.utf8))
        try require((reparsed as? [Any])?.count == error.diagnostics.count, "validate --json output is not a JSON array of every diagnostic: \(shown(json, limit: 400))")
    }
}
