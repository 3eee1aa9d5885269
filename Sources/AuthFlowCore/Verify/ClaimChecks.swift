import Foundation

/// The checks on a token's claims, run once its signature is verified: what it is (an access token,
/// not an ID token), who issued it, for whom, when it is valid, which client holds it and what it grants.
enum ClaimChecks {
    /// Every claim check, in the order the verdict reads them.
    static func all(header: [String: JSONValue], claims: [String: JSONValue], policy: VerificationPolicy) -> [VerificationCheck] {
        let now = policy.now()
        if policy.idToken {
            // The same checks by the same names, so a script reads one shape either way.
            return [
                IDTokenChecks.tokenType(header: header, claims: claims),
                issuer(claims, expected: policy.issuer),
                IDTokenChecks.audience(claims, expected: policy.audiences, clientID: policy.ownClientID),
                expiry(claims, now: now, leeway: policy.leeway),
                notBefore(claims, now: now, leeway: policy.leeway),
                IDTokenChecks.issuedAt(claims, now: now, leeway: policy.leeway),
                .skip("cid", "an ID token names its client in aud and azp"),
                .skip("scope", "an ID token grants no scopes"),
                minimumLife(claims, now: now, minTTL: policy.minTTL),
            ]
        }
        return [
            tokenType(header: header, claims: claims, ownClientID: policy.ownClientID),
            issuer(claims, expected: policy.issuer),
            audience(claims, expected: policy.audiences),
            expiry(claims, now: now, leeway: policy.leeway),
            notBefore(claims, now: now, leeway: policy.leeway),
            issuedAt(claims, now: now, leeway: policy.leeway),
            client(claims, expected: policy.clientID),
            scopes(claims, required: policy.requiredScopes),
            minimumLife(claims, now: now, minTTL: policy.minTTL),
        ]
    }

    /// `token_type`: an access token, not an ID token offered in its place (OIDC Core §2 vs. Okta/RFC 9068 access tokens).
    static func tokenType(header: [String: JSONValue], claims: [String: JSONValue], ownClientID: String?) -> VerificationCheck {
        if let problem = HeaderChecks.type(header) { return .fail("token_type", problem) }
        let typ = header["typ"]?.string?.lowercased()
        if typ == "at+jwt" || typ == "application/at+jwt" { return .pass("token_type", "an access token (typ \(typ ?? ""), RFC 9068)") }
        if TokenClaims.scopes(claims) != nil { return .pass("token_type", "an access token (it grants scopes)") }
        var signs = ["nonce", "at_hash", "c_hash", "amr"].filter { claims[$0] != nil }
        if let ownClientID, TokenClaims.audiences(claims).contains(ownClientID), TokenClaims.clientID(claims) == nil {
            signs.append("aud is the client id")
        }
        guard signs.isEmpty else {
            return .fail("token_type", "an ID token (\(signs.joined(separator: ", ")); no scp), not an access token: a resource server accepts access tokens only")
        }
        return .pass("token_type", "no sign of an ID token")
    }

    /// `iss`: exactly the issuer, character for character (RFC 9068 §4, OpenID Connect Core
    /// §3.1.3.7): `https://idp.example.com/` is another issuer than `https://idp.example.com`.
    static func issuer(_ claims: [String: JSONValue], expected: String) -> VerificationCheck {
        guard let iss = claims["iss"]?.string else { return .fail("iss", "the token has no iss") }
        guard iss == expected else {
            return .fail("iss", "issued by '\(TokenClaims.shown(iss))', not by \(expected)")
        }
        return .pass("iss", iss)
    }

    /// `aud`: names at least one accepted audience.
    static func audience(_ claims: [String: JSONValue], expected: [String]) -> VerificationCheck {
        let audiences = TokenClaims.audiences(claims)
        guard !audiences.isEmpty else { return .fail("aud", "the token has no aud") }
        let shown = audiences.map { TokenClaims.shown($0) }.joined(separator: ", ")
        guard !expected.isEmpty else {
            return .fail("aud", "no audience to accept (the token is for \(shown)); pass --audience, or set audience or verify.audience in the profile")
        }
        guard let match = audiences.first(where: { expected.contains($0) }) else {
            return .fail("aud", "the token is for \(shown), not for \(expected.joined(separator: " or ")); pass --audience to accept another")
        }
        return .pass("aud", match)
    }

    /// `exp`: present, and not passed more than the leeway ago.
    static func expiry(_ claims: [String: JSONValue], now: Date, leeway: Duration) -> VerificationCheck {
        guard let value = claims["exp"] else { return .fail("exp", "the token has no exp") }
        guard let exp = TokenClaims.date(value) else { return .fail("exp", "exp is not a NumericDate (seconds since 1970)") }
        guard now.timeIntervalSince(exp) < leeway.inSeconds else {
            return .fail("exp", "expired \(RelativeTime.span(now.timeIntervalSince(exp))) ago, at \(TokenClaims.utc(exp)) (leeway \(leeway.shortDescription))")
        }
        let left = exp.timeIntervalSince(now)
        return .pass("exp", left >= 0 ? "expires in \(RelativeTime.span(left)), at \(TokenClaims.utc(exp))" : "expired \(RelativeTime.span(-left)) ago, within the leeway")
    }

    /// `nbf`: when present, reached (less the leeway).
    static func notBefore(_ claims: [String: JSONValue], now: Date, leeway: Duration) -> VerificationCheck {
        guard let value = claims["nbf"] else { return .skip("nbf", "the token has no nbf") }
        guard let nbf = TokenClaims.date(value) else { return .fail("nbf", "nbf is not a NumericDate") }
        guard nbf.timeIntervalSince(now) <= leeway.inSeconds else {
            return .fail("nbf", "not valid before \(TokenClaims.utc(nbf)), in \(RelativeTime.span(nbf.timeIntervalSince(now))) (leeway \(leeway.shortDescription))")
        }
        return .pass("nbf", "valid since \(TokenClaims.utc(nbf))")
    }

    /// `iat`: when present, not in the future (less the leeway).
    static func issuedAt(_ claims: [String: JSONValue], now: Date, leeway: Duration) -> VerificationCheck {
        guard let value = claims["iat"] else { return .skip("iat", "the token has no iat") }
        guard let iat = TokenClaims.date(value) else { return .fail("iat", "iat is not a NumericDate") }
        guard iat.timeIntervalSince(now) <= leeway.inSeconds else {
            return .fail("iat", "issued in the future, at \(TokenClaims.utc(iat)) (leeway \(leeway.shortDescription)); check the clocks")
        }
        return .pass("iat", "issued at \(TokenClaims.utc(iat))")
    }

    /// `cid`: the profile's client holds the token, when asked.
    static func client(_ claims: [String: JSONValue], expected: String?) -> VerificationCheck {
        guard let expected else { return .skip("cid", "not asked (--cid)") }
        guard let cid = TokenClaims.clientID(claims) else { return .fail("cid", "the token has no cid or client_id") }
        guard cid == expected else { return .fail("cid", "issued to client '\(TokenClaims.shown(cid))', not to \(expected)") }
        return .pass("cid", cid)
    }

    /// `scope`: every required scope is granted.
    static func scopes(_ claims: [String: JSONValue], required: [String]) -> VerificationCheck {
        guard !required.isEmpty else { return .skip("scope", "no scope asked for (--scope)") }
        let granted = TokenClaims.scopes(claims) ?? []
        let missing = required.filter { !granted.contains($0) }
        guard missing.isEmpty else {
            let shown = granted.isEmpty ? "none" : granted.map { TokenClaims.shown($0, limit: 60) }.joined(separator: " ")
            return .fail("scope", "missing \(missing.joined(separator: " ")) (granted: \(shown))")
        }
        return .pass("scope", required.joined(separator: " "))
    }

    /// `min_ttl`: at least this much life left, leeway not counted.
    static func minimumLife(_ claims: [String: JSONValue], now: Date, minTTL: Duration?) -> VerificationCheck {
        guard let minTTL else { return .skip("min_ttl", "not asked (--min-ttl)") }
        guard let exp = TokenClaims.date(claims["exp"]) else { return .fail("min_ttl", "the token has no exp") }
        let left = exp.timeIntervalSince(now)
        guard left >= minTTL.inSeconds else {
            return .fail("min_ttl", "\(left > 0 ? "expires in \(RelativeTime.span(left))" : "expired"), less than the \(minTTL.shortDescription) asked for")
        }
        return .pass("min_ttl", "\(RelativeTime.span(left)) left")
    }
}
