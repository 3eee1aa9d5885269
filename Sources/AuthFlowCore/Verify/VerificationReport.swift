import Foundation

/// The outcome of one check of `authflow verify`.
public struct VerificationCheck: Sendable, Hashable {
    /// Whether the check passed, failed, or was not run.
    public enum Outcome: String, Sendable, Hashable {
        case pass, fail, skip
    }

    /// The check's stable name (`signature`, `aud`, ...), as the README lists them.
    public let name: String
    /// What came of it.
    public let outcome: Outcome
    /// One line saying why; token and server text in it is already sanitized.
    public let detail: String

    /// A passed check.
    public static func pass(_ name: String, _ detail: String) -> Self { Self(name: name, outcome: .pass, detail: detail) }
    /// A failed check.
    public static func fail(_ name: String, _ detail: String) -> Self { Self(name: name, outcome: .fail, detail: detail) }
    /// A check that was not run, and why.
    public static func skip(_ name: String, _ detail: String) -> Self { Self(name: name, outcome: .skip, detail: detail) }
}

/// Every check of one verification, in order; the first failure is the verdict.
public struct VerificationReport: Sendable {
    /// The checks, in the order they ran.
    public let checks: [VerificationCheck]
    /// The token's claims, present only when the token is valid.
    public let claims: [String: JSONValue]?

    /// Creates a report; `claims` are kept only when every check passed or was skipped.
    public init(checks: [VerificationCheck], claims: [String: JSONValue]?) {
        self.checks = checks
        self.claims = checks.contains { $0.outcome == .fail } ? nil : claims
    }

    /// True when no check failed.
    public var isValid: Bool { firstFailure == nil }

    /// The check that decides the verdict.
    public var firstFailure: VerificationCheck? { checks.first { $0.outcome == .fail } }

    /// `valid: sub=… aud=… exp=…` or `invalid: CHECK: reason`, with a newline.
    public var line: String {
        if let failure = firstFailure { return "invalid: \(failure.name): \(failure.detail)\n" }
        let claims = claims ?? [:]
        let sub = claims["sub"]?.string.map { $0.sanitizedForTerminal(limit: 100) } ?? "-"
        let aud = TokenClaims.audiences(claims).map { $0.sanitizedForTerminal(limit: 100) }.joined(separator: ",")
        let exp = TokenClaims.date(claims["exp"]).map(TokenClaims.utc) ?? "-"
        return "valid: sub=\(sub) aud=\(aud.isEmpty ? "-" : aud) exp=\(exp)\n"
    }

    /// The whole check list, for `--json`: the same members whether the token is valid or not,
    /// with `null` for what does not apply (`failed` when valid, `issuer` or `claims` when unknown),
    /// so a script reads one shape.
    public func json(profile: String, issuer: String?) -> JSONValue {
        .object([
            "valid": .bool(isValid),
            "profile": .string(profile),
            "issuer": issuer.map(JSONValue.string) ?? .null,
            "failed": firstFailure.map { .string($0.name) } ?? .null,
            "checks": .array(checks.map { .object(["check": .string($0.name), "result": .string($0.outcome.rawValue), "detail": .string($0.detail)]) }),
            "claims": claims.map(JSONValue.object) ?? .null,
        ])
    }
}
