import Foundation

/// The checks a value passes before any writer puts it in output (docs/reference/output.md).
///
/// Every test is on Unicode scalars, never on `Character`s: a quote followed by a combining mark is one
/// `Character` that is not equal to `'`, yet a shell still reads the quote.
enum OutputCheck {
    /// `value`, refused when it holds a control character; the message names `field`, never the value.
    @discardableResult
    static func plain(_ value: String, field: String) throws -> String {
        if value.unicodeScalars.contains(where: isControl) {
            throw AuthFlowError(
                .protocolError, "\(field) contains a control character",
                hint: "the authorization server sent a value authflow will not write; it is misconfigured or hostile"
            )
        }
        return value
    }

    /// C0, DEL, C1 and the Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// The token `header` and `raw` write (the ID token with `--id-token`), checked for RFC 6750 syntax.
    static func bearerToken(_ token: TokenSet, options: OutputOptions) throws -> String {
        var value = token.accessToken
        var field = "access token"
        if options.useIDToken {
            guard let idToken = token.idToken else {
                throw AuthFlowError(
                    .protocolError, "--id-token: the token response has no ID token",
                    hint: "ask for the 'openid' scope in the profile's scopes to get an ID token"
                )
            }
            value = idToken
            field = "ID token"
        }
        try plain(value, field: field)
        guard isB64Token(value) else {
            throw AuthFlowError(
                .protocolError, "\(field) is not an RFC 6750 b64token",
                hint: "header and raw write only letters, digits, '-._~+/' and trailing '='; try --format json"
            )
        }
        return value
    }

    /// RFC 6750 `b64token`: `^[A-Za-z0-9\-._~+/]+=*$`.
    static func isB64Token(_ value: String) -> Bool {
        let scalars = value.unicodeScalars
        let body = scalars.prefix { isAlphanumeric($0) || "-._~+/".unicodeScalars.contains($0) }
        return !body.isEmpty && scalars.dropFirst(body.count).allSatisfy { $0 == "=" }
    }

    /// `name`, refused with a usage error naming `prefix` unless it matches `^[A-Za-z_][A-Za-z0-9_]*$`.
    static func variableName(_ name: String, prefix: String) throws -> String {
        let scalars = name.unicodeScalars
        let valid = scalars.first.map { $0 == "_" || isLetter($0) } == true
            && scalars.allSatisfy { $0 == "_" || isAlphanumeric($0) }
        guard valid else {
            throw AuthFlowError(
                .usage, "prefix '\(display(prefix))' makes '\(display(name))', not a valid variable name",
                hint: "set output.prefix or --prefix to ASCII letters, digits and '_', not starting with a digit (e.g. MYAPP_)"
            )
        }
        return name
    }

    /// The last second RFC 3339 can write: 9999-12-31T23:59:59Z.
    static let latestSecond: Int64 = 253_402_300_799

    /// Whole Unix seconds of `date`, refused when a server's expiry is absurd rather than trapping on it.
    static func unixSeconds(_ date: Date) throws -> Int64 {
        guard let seconds = Int64(exactly: date.timeIntervalSince1970.rounded(.down)),
              (0...latestSecond).contains(seconds) else {
            throw AuthFlowError(.protocolError, "the token's expiry time is out of range",
                                hint: "the authorization server sent an impossible expires_in or exp")
        }
        return seconds
    }

    /// `seconds` as RFC 3339 UTC, `2026-11-29T03:07:47Z`.
    static func rfc3339(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || ("0"..."9").contains(scalar)
    }

    /// User input for a message, with control characters escaped so stderr stays one clean line.
    private static func display(_ value: String) -> String {
        String(JSONValue.quote(value).dropFirst().dropLast())
    }
}
