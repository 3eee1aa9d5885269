import AuthFlowCore
import Foundation

/// `authflow git-credential`: what git writes to the helper, and what the helper answers.
///
/// Input: git's stdin, optionally followed by 0xFF, a username, 0xFF and an access token for
/// the answer.
///
/// Properties: the parser agrees with a byte-level reader of git's protocol written here
/// (lines end at LF, input ends at a blank line, a line needs `=`, CR and NUL refuse the whole
/// input, a later key wins); it refuses only with a usage error; an answer either is refused
/// with an `AuthFlowError` or reads back, through the same parser, as exactly the username,
/// the token and its expiry, with nothing smuggled in.
enum GitCredentialFuzz {
    static func check(_ data: Data) throws {
        let parts = fields(data, count: 3)
        let expected = reference(parts[0])
        do {
            let attributes = try GitCredential.parse(parts[0])
            try require(expected == attributes, "parser gave \(shown(String(describing: attributes))), reference \(shown(String(describing: expected)))")
        } catch let error as AuthFlowError {
            try require(expected == nil, "parser refused input the reference reads as \(shown(String(describing: expected))): \(error.message)")
            try require(error.kind == .usage, "parser refusal of kind \(error.kind)")
        }
        if parts.count == 3 {
            try checkAnswer(username: text(parts[1]), token: text(parts[2]))
        }
    }

    static func checkAnswer(username: String, token: String) throws {
        let expiry = Date(timeIntervalSince1970: 1_800_000_000)
        let tokens = TokenSet(accessToken: token, tokenType: "Bearer", expiresAt: expiry, scope: nil, idToken: nil, refreshToken: nil, response: [:])
        let answer: String
        do {
            answer = try GitCredential.answer(username: username, token: tokens, options: OutputOptions(profile: "fuzz", now: expiry))
        } catch is AuthFlowError {
            let clean = { (value: String) in !value.isEmpty && !value.unicodeScalars.contains(where: isRefusedControl) }
            try require(!(clean(username) && isB64Token(token)), "answer refused username '\(shown(username))' and token '\(shown(token))'")
            return
        }
        try require(!answer.unicodeScalars.contains { $0 == "\r" || $0 == "\0" }, "answer holds CR or NUL: \(shown(answer))")
        try require(answer.unicodeScalars.filter { $0 == "\n" }.count == 3, "answer is not three lines: \(shown(answer))")
        let readBack = try GitCredential.parse(Data(answer.utf8))
        try require(readBack == ["username": username, "password": token, "password_expiry_utc": "1800000000"], "answer reads back as \(shown(String(describing: readBack)))")
    }

    /// RFC 6750 b64token, spelled out here.
    static func isB64Token(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        let isBody = { (s: Unicode.Scalar) in s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "-._~+/".unicodeScalars.contains(s)) }
        let body = scalars.prefix(while: isBody)
        return !body.isEmpty && scalars.dropFirst(body.count).allSatisfy { $0 == "=" }
    }

    /// git's protocol read byte by byte: nil where the helper must refuse.
    static func reference(_ input: Data) -> [String: String]? {
        var attributes: [String: String] = [:]
        for line in input.prefix(64 * 1024).split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            guard !line.contains(0x0D), !line.contains(0x00), let equals = line.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            attributes[text(Data(line[..<equals]))] = text(Data(line[line.index(after: equals)...]))
        }
        return attributes
    }
}
