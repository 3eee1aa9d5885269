import AuthFlowCore
import Foundation
import JWTKit

/// A JWT's claims as JSON values, so access and ID tokens carry exactly the claims the server
/// puts in (Okta's `scp`, `cid`, `uid`, `ver`, the user's profile claims) and decode back unchanged.
struct ClaimSet: JWTPayload {
    var claims: [String: JSONValue]

    init(_ claims: [String: JSONValue]) { self.claims = claims }

    init(from decoder: any Decoder) throws {
        claims = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(EncodableJSON(.object(claims)))
    }

    /// Only a signature check happens in jwt-kit; expiry is checked here so no caller can forget it.
    func verify(using _: some JWTAlgorithm) async throws {
        guard let exp = claims["exp"]?.number, exp > Date().timeIntervalSince1970 else {
            throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "expired")
        }
    }
}

/// Writes a `JSONValue` through `Encoder`; whole numbers stay integers (`"exp": 1700000000`).
private struct EncodableJSON: Encodable {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .string(let text): try container.encode(text)
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
        case .array(let items): try container.encode(items.map(EncodableJSON.init))
        case .object(let members): try container.encode(members.mapValues(EncodableJSON.init))
        }
    }
}
