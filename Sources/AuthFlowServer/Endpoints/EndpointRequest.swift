import AuthFlowCore

/// An HTTP request as the endpoints see it, free of the HTTP framework.
struct EndpointRequest: Sendable {
    var method: String
    var path: String
    var headers: [(name: String, value: String)]
    var body: String
    /// The query string, without `?`.
    var query = ""
    /// The server's own URL (`http://127.0.0.1:PORT`), set before the endpoints see the request.
    var base = ""

    /// The URL the request was sent to, without the query: a client assertion's `aud`.
    var url: String { base + path }

    /// The first header named `name`, case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The form parameters; empty values count as absent (RFC 6749 §3.1) and a repeated one is refused.
    func form() throws -> [String: String] {
        if let type = header("Content-Type"), !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw OAuthError.invalidRequest("The request body must be application/x-www-form-urlencoded.")
        }
        var form: [String: String] = [:]
        for (name, value) in FormEncoding.decode(body) where !value.isEmpty {
            guard form.updateValue(value, forKey: name) == nil else {
                throw OAuthError.invalidRequest("The '\(name.sanitizedForTerminal(limit: 40))' parameter is given more than once.")
            }
        }
        return form
    }
}
