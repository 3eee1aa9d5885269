@testable import authflow
import Foundation
import Testing

/// Profile names for shell completion come from the file the command would use.
@Suite struct ProfileNameCompletionTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authflow-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    static func file(_ names: String...) -> String {
        "version: 1\nprofiles:\n" + names.map { "  \($0): {}\n" }.joined()
    }

    @Test("names come from ./authflow.yaml or a parent's, templates left out, filtered by the prefix; even an invalid file completes")
    func searchedFile() throws {
        let folder = try Self.folder(["authflow.yaml": Self.file("prod", "preview", ".base", "ci")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let completion = ProfileNameCompletion(environment: ["HOME": folder.path], currentDirectory: folder.appendingPathComponent("sub").path)
        #expect(completion.names(words: ["authflow", "env", ""], prefix: "") == ["prod", "preview", "ci"])
        #expect(completion.names(words: ["authflow", "env", "pr"], prefix: "pr") == ["prod", "preview"])
    }

    @Test("-c FILE in the words wins over $AUTHFLOW_CONFIG, which wins over the search", arguments: [
        ["authflow", "env", "-c", "other.yaml", ""], ["authflow", "-c", "'other.yaml'", "env", ""], ["authflow", "env", "--config=other.yaml", ""],
        ["authflow", "env", "-cother.yaml", ""], ["authflow", "env", "--config", "\"other.yaml\"", ""],
    ])
    func configOption(words: [String]) throws {
        let folder = try Self.folder(["authflow.yaml": Self.file("here"), "other.yaml": Self.file("other"), "env.yaml": Self.file("from-env")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let completion = ProfileNameCompletion(environment: ["AUTHFLOW_CONFIG": folder.appendingPathComponent("env.yaml").path], currentDirectory: folder.path)
        #expect(completion.names(words: words, prefix: "") == ["other"])
        #expect(completion.names(words: ["authflow", "env", ""], prefix: "") == ["from-env"])
    }

    @Test("no file, or not YAML: no names, no error")
    func nothing() throws {
        let folder = try Self.folder(["authflow.yaml": "profiles: [unclosed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let completion = ProfileNameCompletion(environment: ["HOME": folder.path], currentDirectory: folder.path)
        #expect(completion.names(words: ["authflow", "env", ""], prefix: "").isEmpty)
        #expect(completion.names(words: ["authflow", "env", "-c", "missing.yaml", ""], prefix: "").isEmpty)
    }
}
