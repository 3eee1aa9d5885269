import Foundation

/// A user-defined format (`formats:` in the profile file): a template with `{{field}}`
/// placeholders and one escaping mode for every value it inserts.
public struct TemplateWriter: OutputWriter {
    /// How inserted values are escaped.
    public enum Escape: String, Sendable, CaseIterable {
        /// As JSON string literals (quotes included); numbers stay numbers.
        case json
        /// As POSIX shell single-quoted words.
        case shell
        /// As is, allowed only for values whose syntax makes them safe (b64token, digits, scope words).
        case none
    }

    /// The fields a template may use.
    public static let fields = ["access_token", "id_token", "token_type", "expires_at", "expires_in", "scope", "profile"]

    /// The format's name.
    public let name: String
    /// The template, split into literal text and field names.
    public let parts: [Part]
    /// The escaping mode.
    public let escape: Escape

    /// A piece of a template.
    public enum Part: Sendable, Equatable {
        case text(String)
        case field(String)
    }

    /// Creates a writer from parsed parts.
    public init(name: String, parts: [Part], escape: Escape) {
        self.name = name
        self.parts = parts
        self.escape = escape
    }

    /// Splits `template` at `{{field}}` placeholders; each field comes with its offset in the text.
    public static func parse(_ template: String) -> (parts: [Part], fields: [(name: String, offset: Int)]) {
        var parts: [Part] = []
        var fields: [(name: String, offset: Int)] = []
        var rest = Substring(template)
        var offset = 0
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let before = rest[..<open.lowerBound]
            if !before.isEmpty { parts.append(.text(String(before))) }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            fields.append((name, offset + before.count))
            parts.append(.field(name))
            offset += rest.distance(from: rest.startIndex, to: close.upperBound)
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        return (parts, fields)
    }

    /// The template with every field filled in and escaped.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        try parts.map { part -> String in
            switch part {
            case .text(let text): return text
            case .field(let field): return try render(field, token: token, options: options)
            }
        }.joined()
    }

    private func render(_ field: String, token: TokenSet, options: OutputOptions) throws -> String {
        var number: Int64?
        let value: String
        switch field {
        case "access_token": value = token.accessToken
        case "id_token":
            guard let idToken = token.idToken else {
                throw AuthFlowError(.protocolError, "format '\(name)' uses id_token, but the token response has none", hint: "ask for the 'openid' scope")
            }
            value = idToken
        case "token_type": value = token.tokenType
        case "scope": value = token.scope ?? ""
        case "profile": value = options.profile
        case "expires_at", "expires_in":
            guard let expiresAt = token.expiresAt else {
                throw AuthFlowError(.protocolError, "format '\(name)' uses \(field), but the token's lifetime is unknown", hint: "the server sent no expires_in")
            }
            let at = try OutputCheck.unixSeconds(expiresAt)
            number = field == "expires_at" ? at : Int64(max(0, expiresAt.timeIntervalSince(options.now)).rounded(.down))
            value = String(number ?? 0)
        default:
            throw AuthFlowError(.invalidProfile, "format '\(name)' uses unknown field '\(field)'", hint: "fields: \(Self.fields.joined(separator: ", "))")
        }
        let label = field.replacingOccurrences(of: "_", with: " ")
        try OutputCheck.plain(value, field: label)
        switch escape {
        case .json:
            return number.map(String.init) ?? JSONValue.quote(value)
        case .shell:
            // On scalars, as the sh dialect does: a quote followed by a combining mark is one Character.
            return "'" + value.replacingScalars { $0 == "'" ? "'\\''" : nil } + "'"
        case .none:
            let words = field == "scope" ? value.split(separator: " ").map(String.init) : [value]
            guard number != nil || words.allSatisfy({ $0.isEmpty || OutputCheck.isB64Token($0) }) else {
                throw AuthFlowError(.protocolError, "format '\(name)': the \(label) is not safe to write unescaped",
                                    hint: "use escape: json or escape: shell for this format")
            }
            return value
        }
    }
}
