import AuthFlowCore
import Foundation

/// What a token endpoint may answer, through `TokenResponseParser.parse`.
///
/// Input: one byte choosing the status, then a request secret up to the first 0xFF byte, then
/// the body (also the `Location` header for redirects).
///
/// Properties: the outcome follows the status (2xx → a token or 76, 3xx → 76, 429/5xx → 69,
/// other 4xx → 77 or 76); a token has an access token and a Bearer type and a sane expiry;
/// error text shown to the user holds no control character, is bounded, and never holds the
/// request's secret, however the server dresses it up.
enum TokenResponseFuzz {
    static let statuses = [200, 201, 299, 302, 400, 401, 403, 404, 418, 429, 500, 503]
    static let url = URL(string: "https://fuzz.example/oauth2/v1/token")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    /// Characters none of the parser's fixed message texts use, so a secret holding one can only
    /// reach a message through server text.
    static let markers = Set("#$%*@^|~".unicodeScalars)

    static func check(_ data: Data) throws {
        guard let first = data.first, let url else { return }
        let status = statuses[Int(first) % statuses.count]
        let parts = fields(data.dropFirst(), count: 2)
        let secret = parts.count == 2 ? text(parts[0]) : ""
        let body = parts.count == 2 ? parts[1] : parts[0]
        let location = text(body.prefix(300)).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let response = TransportResponse(status: status, headers: [("Location", location)], body: body)
        do {
            let token = try TokenResponseParser.parse(response, from: url, secrets: [Secret(secret)], now: now)
            try require((200..<300).contains(status), "a token from a \(status) answer")
            try require(!token.accessToken.isEmpty, "a token set with an empty access token")
            try require(token.tokenType.lowercased() == "bearer", "token type '\(shown(token.tokenType))' accepted")
            if let expiresAt = token.expiresAt {
                let left = expiresAt.timeIntervalSince(now)
                let fromJWT = JWTParts(token.accessToken)?.expiresAt
                try require((left >= 0 && left < 1e10) || expiresAt == fromJWT, "expiry \(left) s from now from neither expires_in nor the JWT")
            }
        } catch let error as AuthFlowError {
            let code = error.kind
            switch status {
            case 200..<300, 300..<400: try require(code == .protocolError, "status \(status) gave \(code): \(shown(error.message))")
            case 429, 500...: try require(code == .unavailable, "status \(status) gave \(code): \(shown(error.message))")
            default: try require(code == .refused || code == .protocolError, "status \(status) gave \(code): \(shown(error.message))")
            }
            for shownText in [error.message, error.hint ?? ""] {
                try require(!hasTerminalControl(shownText, allowing: []), "server text reached a message with a control character: \(shown(shownText))")
                try require(shownText.unicodeScalars.count <= 1200, "message of \(shownText.unicodeScalars.count) scalars")
                if secret.unicodeScalars.count >= 4, secret.unicodeScalars.contains(where: markers.contains) {
                    // Byte-wise: what a log reader would see, whatever Unicode makes of the neighbours.
                    try require(!containsRun(Array(shownText.utf8), Array(secret.utf8)), "the request's secret '\(shown(secret))' leaked into: \(shown(shownText))")
                }
            }
        }
    }
}
