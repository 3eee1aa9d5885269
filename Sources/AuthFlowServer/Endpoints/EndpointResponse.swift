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

    /// Okta's error shape for requests outside the OAuth protocol (unknown server or path, wrong method).
    static func okta(status: Int, code: String, summary: String) -> EndpointResponse {
        .json(.object(["errorCode": .string(code), "errorSummary": .string(summary), "errorLink": .string(code),
                       "errorId": .string("oae" + TokenStore.randomToken(bytes: 12)), "errorCauses": .array([])]),
              status: status, error: code)
    }
}
