import Foundation

/// The claim checks that differ for an ID token (OpenID Connect Core §3.1.3.7): it is meant for
/// the client that signed the user in, so its audience is the client id, not an API.
enum IDTokenChecks {
    /// `token_type`: an ID token, not an access token offered in its place.
    static func tokenType(header: [String: JSONValue], claims: [String: JSONValue]) -> VerificationCheck {
        if let problem = HeaderChecks.type(header) { return .fail("token_type", problem) }
        let typ = header["typ"]?.string?.lowercased()
        if typ == "at+jwt" || typ == "application/at+jwt" {
            return .fail("token_type", "an access token (typ \(typ ?? ""), RFC 9068), not an ID token")
        }
        if TokenClaims.scopes(claims) != nil || TokenClaims.clientID(claims) != nil {
            return .fail("token_type", "an access token (it grants scopes or names a cid), not an ID token")
        }
        return .pass("token_type", "an ID token (no scopes, no cid)")
    }

    /// `aud`: holds one of `expected` (by default the profile's client id); `azp`, when present,
    /// is the client id, and a token for several audiences must name it.
    static func audience(_ claims: [String: JSONValue], expected: [String], clientID: String?) -> VerificationCheck {
        let audience = ClaimChecks.audience(claims, expected: expected)
        guard audience.outcome == .pass else { return audience }
        let audiences = TokenClaims.audiences(claims)
        switch claims["azp"]?.string {
        case let azp? where clientID.map({ azp != $0 }) ?? false:
            return .fail("aud", "azp is '\(TokenClaims.shown(azp))', not the client id \(clientID ?? "")")
        case nil where audiences.count > 1:
            return .fail("aud", "the token is for several audiences (\(audiences.map { TokenClaims.shown($0) }.joined(separator: ", "))) and names no azp")
        case let azp?:
            return .pass("aud", "\(audience.detail) (azp \(TokenClaims.shown(azp)))")
        case nil:
            return audience
        }
    }

    /// `iat`: required in an ID token, and not in the future (less the leeway).
    static func issuedAt(_ claims: [String: JSONValue], now: Date, leeway: Duration) -> VerificationCheck {
        guard claims["iat"] != nil else { return .fail("iat", "the ID token has no iat") }
        return ClaimChecks.issuedAt(claims, now: now, leeway: leeway)
    }
}
