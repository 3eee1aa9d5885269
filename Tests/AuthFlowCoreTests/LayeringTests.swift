import Foundation
import Testing

/// The folders of AuthFlowCore stand on floors: each may use the types of the floors below it,
/// never those of its own floor's neighbours or of a floor above. Drawn from the source text:
/// every type declared at the top level of a file belongs to its folder, and every use of that
/// name elsewhere (outside comments and string literals) is a dependency.
@Suite struct LayeringTests {
    /// Lowest first. A new folder must be given a floor here.
    static let floors: [[String]] = [
        ["Support"],
        ["Model"],
        ["Transport", "Secrets", "Output", "Exec"],
        ["Cache"],
        ["Endpoints"],
        ["Profile", "Grants"],
        ["Acquire"],
        ["Verify", "Trust"],
    ]

    static let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/AuthFlowCore")

    /// Every Swift file of AuthFlowCore with its top folder ("Support" for files at the root).
    static func files() throws -> [(folder: String, url: URL)] {
        let walker = try #require(FileManager.default.enumerator(at: core, includingPropertiesForKeys: nil))
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map { url in
            let relative = url.path.dropFirst(core.path.count + 1).split(separator: "/")
            return (relative.count > 1 ? String(relative[0]) : "Support", url)
        }
    }

    /// The code of `text` with comments and string literals blanked out.
    static func code(_ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var kept = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
            kept = kept.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
            out += kept + "\n"
        }
        return out
    }

    static func matches(_ pattern: String, in text: String, group: Int = 0) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }

    /// folder → folders it uses, each with an example (file: type).
    static func dependencies() throws -> [String: [String: String]] {
        let files = try files()
        var owner: [String: String] = [:]
        for (folder, url) in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            // Top level only: a declaration at column 0 (nested types are their outer type's).
            let declaration = #"^(?:(?:public|internal|package|private|fileprivate|final|indirect)\s+)*(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z][A-Za-z0-9_]*)"#
            for name in try matches(declaration, in: text, group: 1) { owner[name] = owner[name] ?? folder }
        }
        var uses: [String: [String: String]] = [:]
        for (folder, url) in files {
            let text = code(try String(contentsOf: url, encoding: .utf8))
            for name in Set(try matches(#"\b[A-Z][A-Za-z0-9_]*\b"#, in: text)) {
                guard let other = owner[name], other != folder else { continue }
                uses[folder, default: [:]][other] = uses[folder]?[other] ?? "\(url.lastPathComponent): \(name)"
            }
        }
        return uses
    }

    @Test("every folder of AuthFlowCore has a floor, and uses only folders on lower floors")
    func foldersUseOnlyLowerFloors() throws {
        let floor = Dictionary(uniqueKeysWithValues: Self.floors.enumerated().flatMap { index, folders in folders.map { ($0, index) } })
        let folders = Set(try Self.files().map(\.folder))
        for folder in folders.sorted() {
            #expect(floor[folder] != nil, "Sources/AuthFlowCore/\(folder) has no floor in LayeringTests.floors")
        }
        let uses = try Self.dependencies()
        #expect(!uses.isEmpty, "the drawing found no dependency at all: the check would prove nothing")
        for (folder, used) in uses.sorted(by: { $0.key < $1.key }) {
            for (other, example) in used.sorted(by: { $0.key < $1.key }) {
                guard let from = floor[folder], let to = floor[other] else { continue }
                #expect(to < from, "\(folder) (floor \(from)) uses \(other) (floor \(to)): \(example)")
            }
        }
    }

    @Test("the check bites: a use of a higher floor's type is found")
    func checkFindsAnUpwardUse() throws {
        let uses = try Self.dependencies()
        // Acquire uses Grants (TokenClient): a real dependency the drawing must see.
        #expect(uses["Acquire"]?["Grants"] != nil, "\(uses)")
        #expect(Self.code(#"let a = "TokenClient" // TokenService"#).contains("TokenClient") == false)
    }
}
