import Foundation

/// The `--verbose` trace: every request and response on stderr, with every secret and token
/// replaced by `<redacted>` — by field name, and by value wherever a known secret appears.
public struct HTTPTrace: Sendable {
    /// Receives each finished trace block.
    public let sink: @Sendable (String) -> Void

    /// Creates a trace that hands its lines to `sink`.
    public init(sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    /// Form fields whose values are shown; all others are redacted.
    static let visibleFormFields: Set<String> = ["grant_type", "scope", "username", "client_id", "audience", "resource",
                                                 "subject_token_type", "actor_token_type", "requested_token_type", "redirect_uri",
                                                 "token_type_hint", "client_assertion_type", "response_type",
                                                 // Okta Direct Authentication: who signs in and where the factor goes; its codes stay redacted.
                                                 "login_hint", "channel_hint", "challenge_hint", "challenge_types_supported"]

    func request(_ request: TransportRequest) {
        var lines = ["> \(request.method) \(request.url.absoluteString)"]
        for header in request.headers {
            let value = header.name.lowercased() == "authorization" ? (header.value.split(separator: " ").first.map { "\($0) <redacted>" } ?? "<redacted>") : header.value
            lines.append("> \(header.name): \(value)")
        }
        if let body = request.body {
            let form = FormEncoding.decode(String(decoding: body, as: UTF8.self))
            let shown = form.map { "\($0.name)=\(HTTPTrace.visibleFormFields.contains($0.name) ? $0.value : "<redacted>")" }
            lines.append("> " + shown.joined(separator: "&"))
        }
        emit(lines, secrets: request.secrets)
    }

    func response(_ response: TransportResponse, for request: TransportRequest, elapsed: Duration) {
        var lines = ["< \(response.status) (\(elapsed.formatted(.units(allowed: [.milliseconds]))))"]
        for header in response.headers where ["content-type", "retry-after", "location", "www-authenticate"].contains(header.name.lowercased()) {
            lines.append("< \(header.name): \(header.value)")
        }
        if let json = JSONValue.parse(response.body) {
            lines.append("< " + HTTPTrace.redacted(json).serialized())
        } else if !response.body.isEmpty {
            lines.append("< " + String(decoding: response.body.prefix(300), as: UTF8.self).sanitizedForTerminal(limit: 200))
        }
        emit(lines, secrets: request.secrets)
    }

    func failure(_ error: AuthFlowError, for request: TransportRequest) {
        emit(["! \(request.method) \(request.url.absoluteString): \(error.message)"], secrets: request.secrets)
    }

    private func emit(_ lines: [String], secrets: [Secret]) {
        // On scalars, after the lines are cleaned: a secret followed by a combining mark, or one the
        // cleaning changed (a control character inside it), is still the secret.
        let text = lines.map { $0.sanitizedLine() }.joined(separator: "\n")
        sink(Secret.scrub(text, secrets) { $0.sanitizedLine() })
    }

    /// `value` with every token-like member replaced.
    static func redacted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                out[key] = isSecretField(key) ? .string("<redacted>") : redacted(member)
            }
            return .object(out)
        case .array(let items):
            return .array(items.map(redacted))
        default:
            return value
        }
    }

    /// True for member names that hold tokens, codes or secrets.
    static func isSecretField(_ key: String) -> Bool {
        let name = key.lowercased()
        if name == "token_type" || name.hasSuffix("_endpoint") || name.hasSuffix("_supported") || name.hasSuffix("_type") { return false }
        return name.contains("token") || name.contains("secret") || name.contains("password") || name.contains("assertion")
            || name == "code" || name == "otp" || name.hasSuffix("_code") || name == "code_verifier" || name == "key" || name == "d"
    }
}

extension String {
    /// One trace or error line: control characters other than newlines removed.
    func sanitizedLine() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 == "\n" || ($0.properties.generalCategory != .control && $0.properties.generalCategory != .format) }))
    }
}
