import AuthFlowCore
import Foundation

/// What `authflow inspect` does with a token it is handed: `TokenInput` → `JWTParts` →
/// `TokenInspector` text and JSON views.
///
/// Properties: `TokenInput` refuses only with a usage error and hands on one word of visible
/// ASCII; `JWTParts` decodes exactly the tokens whose first two parts are base64url JSON objects
/// (checked against a decoder written here); the text view holds no terminal control character
/// besides its own colour codes; the JSON view is JSON and reads back as the same value.
enum JWTFuzz {
    static let time = RelativeTime(now: Date(timeIntervalSince1970: 1_800_000_000), timeZone: TimeZone(secondsFromGMT: 3600) ?? .current)
    static let colourCodes = ["\u{1B}[1m", "\u{1B}[31m", "\u{1B}[32m", "\u{1B}[33m", "\u{1B}[36m", "\u{1B}[0m"]

    static func check(_ data: Data) throws {
        let input = text(data)
        let token: String
        do {
            token = try TokenInput.token(from: input)
        } catch let error as AuthFlowError {
            try require(error.kind == .usage, "TokenInput refused with kind \(error.kind)")
            // The decoder itself must still cope with whatever a server puts in a token response.
            try checkDecoding(input)
            return
        }
        try require(!token.isEmpty && token.utf8.count <= TokenInput.maximumLength, "TokenInput gave \(token.utf8.count) bytes")
        try require(token.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }, "TokenInput gave '\(shown(token))'")
        try checkDecoding(token)
    }

    static func checkDecoding(_ token: String) throws {
        let parts = JWTParts(token)
        let expected = independentDecode(token)
        switch (parts, expected) {
        case (nil, .some) where strictlyJSON(token):
            throw PropertyViolation("JWTParts refused a well-formed JWT: \(shown(token))")
        case (nil, .some):
            break  // JSONSerialization takes a member named twice; authflow's strict reader refuses it on purpose.
        case let (.some(parts), .some(expected)):
            try require(Set(parts.header.keys) == Set(expected.header.keys) && Set(parts.claims.keys) == Set(expected.claims.keys),
                        "JWTParts and an independent decoder disagree on \(shown(token))")
        case (.some, nil), (nil, nil):
            break  // JWTParts is more lenient (standard base64, padding): fine for reading claims.
        }
        for colour in [false, true] {
            var view = TokenInspector(time: time, colour: colour).text(token)
            for code in colourCodes where colour { view = removingScalars(code, from: view) }
            try require(!hasTerminalControl(view), "inspect text holds a control character: \(shown(view, limit: 600))")
        }
        let json = TokenInspector(time: time, colour: false).json(token)
        let serialized = json.serialized(pretty: true)
        try require((try? JSONSerialization.jsonObject(with: Data(serialized.utf8))) != nil, "inspect --json is not JSON: \(shown(serialized, limit: 600))")
        try require(JSONValue.parse(Data(serialized.utf8)) == json, "inspect --json does not read back as the same value: \(shown(serialized, limit: 600))")
    }

    /// Strict RFC 7515 compact serialization: three parts, base64url without padding, JSON objects.
    static func independentDecode(_ token: String) -> (header: [String: Any], claims: [String: Any])? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count < 64 * 1024,
              let header = base64URL(parts[0]).flatMap(object), let claims = base64URL(parts[1]).flatMap(object) else { return nil }
        return (header, claims)
    }

    /// Whether both parts of `token` are JSON to authflow's strict reader (no member named twice).
    static func strictlyJSON(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).prefix(2).allSatisfy { part in
            base64URL(part).map { JSONValue.parse(bytes: $0) != nil } ?? false
        }
    }

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func base64URL(_ part: Substring) -> Data? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var value: UInt32 = 0, bits = 0
        var out = Data()
        for byte in part.utf8 {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            value = value << 6 | UInt32(digit)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: value >> UInt32(bits)))
                value &= (1 << UInt32(bits)) - 1
            }
        }
        // A lone trailing digit (length ≡ 1 mod 4) cannot encode a byte; leftover bits must be zero (canonical).
        guard bits < 6, value == 0 else { return nil }
        return out
    }
}
