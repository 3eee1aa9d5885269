/// The checks on a token's form and JOSE header that come before any key is fetched (RFC 8725):
/// a signed JWT, no key sources in the header, an allowed asymmetric algorithm, a sane `kid`.
enum HeaderChecks {
    /// Header parameters that would let the token choose its own key; keys come only from the issuer's `jwks_uri`.
    static let keySourceParameters = ["jku", "x5u", "jwk"]
    /// The longest `kid` looked up; longer ones are refused unread.
    static let maximumKeyIDLength = 256

    /// `format`: a compact JWS with a JSON header and claims.
    static func format(_ token: String) -> (VerificationCheck, JWTParts?) {
        if let parts = JWTParts(token) {
            return (.pass("format", "a signed JWT (JWS compact serialization)"), parts)
        }
        let dots = token.filter { $0 == "." }.count
        let reason = switch dots {
        case _ where token.utf8.count >= 64 * 1024: "longer than 64 KiB, more than any issuer's token"
        case 4: "an encrypted token (JWE); only its issuer can read it: use authflow introspect"
        case 2: "three parts, but the header or claims are not base64url JSON"
        default: "not a JWT but an opaque token; only its issuer can check it: use authflow introspect"
        }
        return (.fail("format", reason), nil)
    }

    /// `header`: no `crit` extensions authflow does not implement, no `jku`/`x5u`/`jwk`.
    static func header(_ header: [String: JSONValue]) -> VerificationCheck {
        if let name = keySourceParameters.first(where: { header[$0] != nil }) {
            return .fail("header", "the header names its own key (\(name)); keys come only from the issuer's jwks_uri (RFC 8725 §3.10)")
        }
        if let critical = header["crit"] {
            let names = (critical.array ?? []).compactMap(\.string).map { TokenClaims.shown($0, limit: 40) }
            return .fail("header", "the header marks extensions as critical (crit: \(names.joined(separator: ", "))); authflow implements none (RFC 7515 §4.1.11)")
        }
        return .pass("header", "no key source (jku, x5u, jwk) and no critical extension")
    }

    /// `alg`: present, not `none`, not HMAC, and on the allow-list.
    static func algorithm(_ header: [String: JSONValue], allowed: [String]) -> VerificationCheck {
        guard let alg = header["alg"]?.string else { return .fail("alg", "the header has no alg") }
        let shown = TokenClaims.shown(alg, limit: 20)
        if alg.lowercased() == "none" {
            return .fail("alg", "alg is none: an unsigned token is never accepted")
        }
        if alg.uppercased().hasPrefix("HS") {
            return .fail("alg", "alg is \(shown), an HMAC algorithm: its key would be the issuer's public key used as a shared secret, so anyone could sign (RFC 8725 §2.1)")
        }
        guard allowed.contains(alg) else {
            return .fail("alg", "alg \(shown) is not allowed (allowed: \(allowed.joined(separator: ", "))); set verify.algorithms in the profile to change that")
        }
        return .pass("alg", "\(alg) is allowed")
    }

    /// `kid`: absent, or a short string without control characters; it is only ever compared, never used as a path.
    static func keyID(_ header: [String: JSONValue]) -> (VerificationCheck?, kid: String?) {
        guard let value = header["kid"] else { return (nil, nil) }
        guard let kid = value.string else { return (.fail("kid", "kid is not a string"), nil) }
        guard kid.count <= maximumKeyIDLength, kid.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            return (.fail("kid", "kid is longer than \(maximumKeyIDLength) characters or holds control characters"), nil)
        }
        return (nil, kid)
    }

    /// `typ`, when present, must say JWT or an RFC 9068 access token.
    static func type(_ header: [String: JSONValue]) -> String? {
        guard let typ = header["typ"] else { return nil }
        let value = typ.string?.lowercased() ?? ""
        let accepted = ["jwt", "at+jwt", "application/at+jwt", "application/jwt"]
        return accepted.contains(value) ? nil : "typ '\(TokenClaims.shown(typ.string ?? "?", limit: 40))' is not an access token type"
    }
}
