/// Reads the top-level `formats:` mapping into template writers, with diagnostics at the
/// line and column of each problem (an unknown field is pointed at inside its template).
enum UserFormats {
    static func parse(_ node: YAMLNode?) -> (formats: [String: TemplateWriter], diagnostics: [Diagnostic]) {
        var formats: [String: TemplateWriter] = [:]
        var diagnostics: [Diagnostic] = []
        for pair in node?.pairs ?? [] {
            guard let name = pair.key.scalar, pair.value.pairs != nil else { continue }
            if OutputFormats.named(name) != nil {
                diagnostics.append(Diagnostic(at: pair.key.location, "format '\(name)' has the name of a built-in format", hint: "built-in: \(OutputFormats.names.joined(separator: ", ")); pick another name", length: name.count))
                continue
            }
            guard let templateNode = pair.value["template"], let template = templateNode.scalar,
                  let escapeName = pair.value["escape"]?.scalar, let escape = TemplateWriter.Escape(rawValue: escapeName) else { continue }
            let parsed = TemplateWriter.parse(template)
            for field in parsed.fields where !TemplateWriter.fields.contains(field.name) {
                diagnostics.append(Diagnostic(at: location(of: field.offset, in: templateNode), "format '\(name)': unknown field '\(field.name)' in the template",
                                              hint: Suggestion.didYouMean(field.name, in: TemplateWriter.fields) ?? "fields: \(TemplateWriter.fields.joined(separator: ", "))",
                                              length: field.name.count + 4))
            }
            formats[name] = TemplateWriter(name: name, parts: parsed.parts, escape: escape)
        }
        return (formats, diagnostics)
    }

    /// The position of `offset` characters into a one-line plain or quoted scalar; the scalar's own start otherwise.
    private static func location(of offset: Int, in node: YAMLNode) -> SourceLocation {
        guard case .scalar(let text, let style) = node.value, !text.contains("\n") else { return node.location }
        var location = node.location
        switch style {
        case .plain: location.column += offset
        case .singleQuoted where !text.contains("'"), .doubleQuoted where !text.contains("\\") && !text.contains("\""):
            location.column += offset + 1
        default: break
        }
        return location
    }
}
