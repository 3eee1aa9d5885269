import AuthFlowCore

/// An HTTP response as the endpoints produce it.
struct EndpointResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String
    /// The OAuth error code, for the log line.
    var error: String?

    /// A JSON response; `noStore` adds the RFC 6749 §5.1 cache headers for anything carrying tokens.
    static func json(_ value: JSONValue, status: Int = 200, noStore: Bool = false, headers: [(name: String, value: String)] = [], error: String? = nil) -> EndpointResponse {
        var all: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if noStore { all += [("Cache-Control", "no-store"), ("Pragma", "no-cache")] }
        return EndpointResponse(status: status, headers: all + headers, body: value.serialized(), error: error)
    }

    /// An HTML page (the device verification and login pages); `nonce`-free, so no script runs.
    static func html(_ title: String, _ body: String, status: Int = 200) -> EndpointResponse {
        let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>\(title.htmlEscaped)</title></head><body><h1>\(title.htmlEscaped)</h1>\(body)</body></html>\n"
        return EndpointResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                                          ("Content-Security-Policy", "default-src 'none'"), ("X-Frame-Options", "DENY")],
                                body: page)
    }

    /// Okta's error shape for requests outside the OAuth protocol (unknown server or path, wrong method).
    static func okta(status: Int, code: String, summary: String) -> EndpointResponse {
        .json(.object(["errorCode": .string(code), "errorSummary": .string(summary), "errorLink": .string(code),
                       "errorId": .string("oae" + TokenStore.randomToken(bytes: 12)), "errorCauses": .array([])]),
              status: status, error: code)
    }
}

extension String {
    /// The text with `& < > " '` escaped for HTML, scalar by scalar: a quote followed by a
    /// combining mark is one Character, and must still be escaped.
    var htmlEscaped: String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
