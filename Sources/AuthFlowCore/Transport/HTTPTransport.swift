public import Foundation

/// An HTTP request as authflow builds it: what to send, and which secret values it carries
/// so a trace or an echoed error can never show them.
public struct TransportRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// The full URL; never carries credentials.
    public var url: URL
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: Data?
    /// Secret values in this request, scrubbed from traces and server text in every encoding
    /// the request gives them; the credentials of its `Authorization` headers are among them.
    public var secrets: [Secret]
    /// The single-use credential this request carries (an authorization code, a device code, a
    /// refresh token the server may rotate, an `mfa_token`), named for messages. Such a request is
    /// sent again only when it certainly never left: a server that used the credential and lost
    /// its answer would see a replay (and may revoke every token issued from it).
    public var singleUse: String?
    /// Builds the request anew for another attempt, when sending the same bytes twice would be
    /// refused: a client assertion carries a `jti` the server accepts once (RFC 7523 §3), so a
    /// retry needs a newly signed one. nil: the same request is sent again.
    public var renewal: (@Sendable () async throws -> TransportRequest)?

    /// Creates a request.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil, secrets: [Secret] = [],
                singleUse: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.secrets = secrets + Self.headerCredentials(headers)
        self.singleUse = singleUse
    }
}

extension TransportRequest {
    /// A `GET` of a JSON document (discovery, a key set): no credentials.
    public static func getJSON(_ url: URL) -> TransportRequest {
        TransportRequest(method: "GET", url: url, headers: [("Accept", "application/json"), ("User-Agent", UserAgent.value)])
    }
}

/// The `User-Agent` authflow sends.
public enum UserAgent {
    /// `authflow/VERSION`.
    public static let value = "authflow/\(AuthFlowVersion.current)"
}

/// A complete HTTP response.
public struct TransportResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(name: String, value: String)]
    /// The body, capped by the transport.
    public var body: Data
    /// How many times the request was sent to get this answer (more than 1 after retries).
    public var attempts = 1
    /// The secrets of the renewed request that got this answer (see `TransportRequest.renewal`),
    /// which the first request's list does not have; whoever shows server text scrubs both.
    public var renewedSecrets: [Secret] = []

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The one place that does HTTP. Failures to reach the server throw `AuthFlowError(.unavailable)`;
/// any answer, whatever its status, is returned.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the server's answer.
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// Builds `application/x-www-form-urlencoded` bodies (WHATWG URL, RFC 6749 Appendix B).
public enum FormEncoding {
    /// `value` form-urlencoded: unreserved bytes kept, space as `+`, everything else `%XX`.
    public static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                // By hand: String(format:) goes through Foundation's formatter and its runtime type lookups.
                out += "%"
                out.unicodeScalars.append(FormEncoding.hexDigits[Int(byte >> 4)])
                out.unicodeScalars.append(FormEncoding.hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigits: [Unicode.Scalar] = Array("0123456789ABCDEF".unicodeScalars)

    /// The body for `parameters`, in order.
    public static func body(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    /// Decodes a form body into pairs, in order.
    public static func decode(_ body: String) -> [(name: String, value: String)] {
        body.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func plain(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (plain(pieces[0]), pieces.count > 1 ? plain(pieces[1]) : "")
        }
    }
}
