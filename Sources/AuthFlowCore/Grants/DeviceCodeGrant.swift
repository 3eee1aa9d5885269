public import Foundation

/// The device authorization grant (RFC 8628): ask the device endpoint for a user code, show it,
/// then poll the token endpoint. Builders and parsers here are pure; `TokenClient` drives the loop.
public enum DeviceCodeGrant {
    /// The `grant_type` of the polling requests.
    public static let grantType = GrantType.deviceCode.wireName
    /// RFC 8628 §3.2: the polling interval when the server names none.
    public static let defaultInterval: TimeInterval = 5
    /// RFC 8628 §3.5: what `slow_down` adds to the interval.
    public static let slowDownStep: TimeInterval = 5

    /// The device authorization response (RFC 8628 §3.2).
    public struct Authorization: Sendable {
        /// The device code, used to poll; a credential, never shown.
        public var deviceCode: Secret
        /// The code the user types.
        public var userCode: String
        /// Where the user goes.
        public var verificationURI: URL
        /// The same with the code filled in, when the server gives one.
        public var verificationURIComplete: URL?
        /// How long the codes live.
        public var expiresIn: TimeInterval
        /// Seconds between polls.
        public var interval: TimeInterval
    }

    /// The token request for one poll.
    public static func parameters(deviceCode: Secret) -> GrantParameters {
        GrantParameters(fields: [("grant_type", grantType), ("device_code", deviceCode.reveal())], secrets: [deviceCode], singleUse: "device code")
    }

    /// Parses a device authorization response; server text is checked before it reaches the terminal.
    public static func parseAuthorization(_ response: TransportResponse, from url: URL, secrets: [Secret]) throws -> Authorization {
        let json = try TokenResponseParser.object(response, from: url, secrets: secrets, endpoint: "device authorization",
                                                  hint: "check that the server supports the device authorization grant (RFC 8628)")
        func missing(_ key: String) -> AuthFlowError {
            AuthFlowError(.protocolError, "the device authorization response has no valid \(key)", hint: "the server is not answering as RFC 8628 §3.2 requires")
        }
        guard let deviceCode = json["device_code"]?.string, !deviceCode.isEmpty else { throw missing("device_code") }
        guard let userCode = json["user_code"]?.string, !userCode.isEmpty, userCode.count <= 64,
              userCode.sanitizedForTerminal(limit: 64) == userCode else { throw missing("user_code") }
        guard let uri = (json["verification_uri"] ?? json["verification_url"])?.string.flatMap(webURL) else { throw missing("verification_uri") }
        let expires = json["expires_in"]?.number ?? json["expires_in"]?.string.flatMap(Double.init) ?? 600
        let interval = json["interval"]?.number ?? json["interval"]?.string.flatMap(Double.init) ?? defaultInterval
        return Authorization(deviceCode: Secret(deviceCode), userCode: userCode, verificationURI: uri,
                             verificationURIComplete: json["verification_uri_complete"]?.string.flatMap(webURL),
                             expiresIn: min(max(expires, 1), 3600), interval: min(max(interval, 1), 60))
    }

    /// An http(s) URL without control characters, or nil: a hostile server must not drive the terminal.
    static func webURL(_ text: String) -> URL? {
        guard text.count < 2000, text.sanitizedForTerminal(limit: 2000) == text, let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else { return nil }
        return url
    }

    /// What the user reads on stderr: the URL with its host emphasised (`emphasis` wraps it), and the code.
    public static func instructions(_ authorization: Authorization, emphasis: (String) -> String) -> String {
        let uri = authorization.verificationURI
        let host = uri.host ?? ""
        let shown = uri.absoluteString.replacingOccurrences(of: host, with: emphasis(host), options: [], range: uri.absoluteString.range(of: host))
        var text = "To sign in, open \(shown)\nand enter the code: \(emphasis(authorization.userCode))\n"
        if let complete = authorization.verificationURIComplete {
            text += "(or open \(complete.absoluteString), which has the code filled in)\n"
        }
        text += "Check that the page is on \(emphasis(host)) before you approve. Waiting...\n"
        return text
    }
}
