import AuthFlowCore
import Foundation
import Testing

/// The documentation stands alone: every relative link in README.md, CHANGELOG.md and docs/ reaches a
/// file of the repository, and every `#anchor` a heading of its target (GitHub's slugs); and nothing
/// in the docs or the code cites documents that are not in the repository.
@Suite struct DocsLinkTests {
    /// README.md, CHANGELOG.md and every Markdown file under docs/, relative to the package root.
    static var pages: [String] {
        var out = ["README.md", "CHANGELOG.md"]
        out += files(under: "docs").filter { $0.hasSuffix(".md") }
        return out
    }

    /// Every regular file under `folder`, as paths relative to the package root, sorted.
    static func files(under folder: String) -> [String] {
        let root = PackageFiles.url(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(folder + "/" + url.path.dropFirst(root.path.count + 1))
        }
        return out.sorted()
    }

    /// The lines of `text` outside fenced code blocks.
    static func prose(_ text: String) -> [String] {
        var inFence = false
        var out: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if !inFence { out.append(line) }
        }
        return out
    }

    /// The anchors GitHub gives the headings of `text`; a repeated heading gets `-1`, `-2`...
    static func anchors(_ text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var out: Set<String> = []
        for line in prose(text) where line.hasPrefix("#") {
            let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            let base = MarkdownReferenceGenerator.slug(heading)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            out.insert(count == 0 ? base : "\(base)-\(count)")
        }
        return out
    }

    /// The targets of the inline links `[text](target)` in `text`, outside code blocks and code spans.
    static func links(_ text: String) -> [String] {
        let pattern = try? NSRegularExpression(pattern: #"\]\(([^()\s]+)(?:\s+"[^"]*")?\)"#)
        var out: [String] = []
        for line in prose(text) {
            let withoutCode = line.replacingOccurrences(of: "`[^`]*`", with: "", options: .regularExpression)
            let range = NSRange(withoutCode.startIndex..., in: withoutCode)
            for match in pattern?.matches(in: withoutCode, range: range) ?? [] {
                if let target = Range(match.range(at: 1), in: withoutCode) { out.append(String(withoutCode[target])) }
            }
        }
        return out
    }

    /// What is wrong with `target`, a link on page `page`; nil when it resolves.
    static func problem(_ target: String, on page: String) -> String? {
        if target.contains("://") || target.hasPrefix("mailto:") { return nil }
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let folder = PackageFiles.url(page).deletingLastPathComponent()
        let file = parts[0].isEmpty ? PackageFiles.url(page) : folder.appendingPathComponent(parts[0]).standardizedFileURL
        guard file.path.hasPrefix(PackageFiles.root.standardizedFileURL.path + "/") else { return "\(target) leaves the repository" }
        guard FileManager.default.fileExists(atPath: file.path) else { return "\(target): no such file" }
        guard parts.count == 2 else { return nil }
        guard file.pathExtension == "md", let text = try? String(contentsOf: file, encoding: .utf8) else {
            return "\(target): an anchor into a file that is not Markdown"
        }
        return anchors(text).contains(parts[1]) ? nil : "\(target): no heading with that anchor"
    }

    @Test("every relative link and anchor in README.md, CHANGELOG.md and docs/ resolves")
    func linksResolve() throws {
        #expect(Self.pages.contains("docs/README.md") && Self.pages.count > 5)
        var checked = 0
        for page in Self.pages {
            let text = try String(contentsOf: PackageFiles.url(page), encoding: .utf8)
            for target in Self.links(text) {
                checked += 1
                if let problem = Self.problem(target, on: page) { Issue.record("\(page): \(problem)") }
            }
        }
        #expect(checked > 50)
    }

    @Test("the checker itself: a missing file, a missing anchor and a code span are told apart")
    func checkerBites() {
        #expect(Self.problem("docs/no-such-page.md", on: "README.md") != nil)
        #expect(Self.problem("docs/README.md#no-such-heading", on: "README.md") != nil)
        #expect(Self.problem("../../outside.md", on: "docs/README.md") != nil)
        #expect(Self.problem("https://example.com/x.md", on: "README.md") == nil)
        #expect(Self.links("see [a](a.md) and `[b](b.md)`\n```\n[c](c.md)\n```\n") == ["a.md"])
        #expect(Self.anchors("# Top\n## Top\n```\n# not a heading\n```\n") == ["top", "top-1"])
    }

    @Test("README.md stays an introduction: under 10 KB, with make demo and make test as its only set-up commands")
    func readmeStaysShort() throws {
        let text = try String(contentsOf: PackageFiles.url("README.md"), encoding: .utf8)
        #expect(text.utf8.count <= 10_240, "README.md is \(text.utf8.count) bytes; move detail into docs/")
        #expect(text.contains("```sh\nmake demo\n```") && text.contains("```sh\nmake test\n```"))
        let makeLines = text.components(separatedBy: "\n").filter { $0.hasPrefix("make ") }
        #expect(makeLines == ["make demo", "make test"], "\(makeLines)")
    }

    /// Citations of documents that live outside the repository, spelled so this file does not match itself.
    static let foreignCitations = ["SPEC" + " §", ".." + "/shared", "SECURITY" + ".md"]

    @Test("README, CHANGELOG, docs, Sources and Tests cite no document outside the repository")
    func noForeignCitations() throws {
        let files = ["README.md", "CHANGELOG.md"] + ["docs", "Sources", "Tests"].flatMap(Self.files(under:))
        #expect(files.count > 100)
        for file in files {
            guard let text = try? String(contentsOf: PackageFiles.url(file), encoding: .utf8) else { continue }
            for citation in Self.foreignCitations where text.contains(citation) {
                Issue.record("\(file) mentions '\(citation)': write the rule down in docs/ and cite that")
            }
        }
    }
}
