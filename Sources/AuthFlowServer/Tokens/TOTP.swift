import Crypto

/// RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA-1, 30 s
/// steps, 6 digits, base32 secrets (RFC 4648).
enum TOTP {
    /// The code for `secret` at Unix time `time`.
    static func code(secret: [UInt8], time: Int, step: Int = 30) -> String {
        var counter = UInt64(max(0, time / step)).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let digits = String(value % 1_000_000)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// True when `code` matches at `time` or one step either side (clock drift, as Okta allows).
    static func accepts(_ code: String, secret: [UInt8], time: Int) -> Bool {
        [-30, 0, 30].contains { AuthorizationServer.sameSecret(Self.code(secret: secret, time: time + $0), code) }
    }

    /// The bytes of a base32 secret (upper or lower case, padding and spaces ignored); nil when it is not base32.
    static func base32Decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, buffer = 0
        var out: [UInt8] = []
        for character in text.uppercased() where character != "=" && character != " " {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | index
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> bits) & 0xff))
            }
        }
        return out.isEmpty ? nil : out
    }
}
