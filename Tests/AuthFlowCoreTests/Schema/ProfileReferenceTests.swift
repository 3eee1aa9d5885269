import AuthFlowCore
import Foundation
import Testing

/// `docs/reference/profile.md` is generated from `ProfileSchema`, as `schemas/authflow.schema.json` is,
/// so the page cannot describe a key the loader does not know. The committed page must equal the generated one.
/// Regenerate: `AUTHFLOW_UPDATE_DOCS=1 swift test --filter ProfileReferenceTests`.
@Suite struct ProfileReferenceTests {
    @Test("the committed docs/reference/profile.md is the generated one")
    func committedPageIsGenerated() throws {
        try PackageFiles.expectGenerated("docs/reference/profile.md", ProfileSchema.markdownReference,
                                         variable: "AUTHFLOW_UPDATE_DOCS", regenerate: "swift test --filter ProfileReferenceTests")
    }

    @Test("every key path of the loader's schema has a section")
    func everyKeyHasASection() {
        let page = ProfileSchema.markdownReference
        let paths = JSONSchemaGeneratorTests.keyPaths(ProfileSchema.profile, prefix: "").map { $0.replacingOccurrences(of: ".*.", with: ".NAME.") }
        #expect(paths.contains("client.secret") && paths.contains("verify.leeway"))
        for path in paths {
            #expect(page.contains("\n### `\(path)`\n"), "no section for \(path)")
        }
        for field in ProfileSchema.file {
            #expect(page.contains("\n### `\(field.name)`\n"), "no section for \(field.name)")
        }
    }

    @Test("GitHub's heading anchors", arguments: [
        ("`client.secret`", "clientsecret"), ("Secret references", "secret-references"),
        ("Exit codes: 64–78", "exit-codes-6478"), ("The local server: `authflow serve`", "the-local-server-authflow-serve"),
        ("verify_me", "verify_me"),
    ])
    func slug(heading: String, anchor: String) {
        #expect(MarkdownReferenceGenerator.slug(heading) == anchor)
    }
}
