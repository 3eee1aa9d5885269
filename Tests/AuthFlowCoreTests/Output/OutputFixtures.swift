import AuthFlowCore
import Foundation
import Testing

/// Fixed token sets and clocks shared by the output tests.
enum OutputFixtures {
    /// 2026-11-29T03:07:47.4Z: a fraction, so flooring to whole seconds is exercised.
    static let expiresAt = Date(timeIntervalSince1970: 1_795_921_667.4)
    /// 3599.5 s before `expiresAt`: `expires_in` must come out as 3599.
    static let now = Date(timeIntervalSince1970: 1_795_918_067.9)
    static let accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-_~+/=="
    static let idToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsIm5vbmNlIjoiMSJ9.aWQtc2ln"
    static let refreshToken = "rt-NEVER-WRITTEN-8f2c"

    /// A full response: scope, ID token, refresh token and a member authflow does not model.
    static let full = TokenSet(
        accessToken: accessToken, tokenType: "Bearer", expiresAt: expiresAt,
        scope: "openid profile offline_access", idToken: idToken, refreshToken: refreshToken,
        response: [
            "access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .number(3600),
            "scope": .string("openid profile offline_access"), "id_token": .string(idToken),
            "refresh_token": .string(refreshToken),
            "custom": .object(["nested": .array([.number(1), .bool(true), .null, .string("a\"b")])]),
        ]
    )

    /// A user-defined format using every field, escaped by `escape`.
    static func template(_ escape: TemplateWriter.Escape) -> TemplateWriter {
        let text = "token={{access_token}} id={{ id_token }} type={{token_type}} at={{expires_at}} in={{expires_in}} scope={{scope}} profile={{profile}}\n"
        return TemplateWriter(name: "t-\(escape.rawValue)", parts: TemplateWriter.parse(text).parts, escape: escape)
    }

    /// Only what RFC 6749 requires: no expiry, scope or ID token.
    static let minimal = TokenSet(
        accessToken: "opaque-token_123", tokenType: "Bearer", expiresAt: nil, scope: nil, idToken: nil,
        refreshToken: nil, response: ["access_token": .string("opaque-token_123"), "token_type": .string("Bearer")]
    )

    /// `full` with every written value replaced by one that needs quoting in every shell.
    static let quoting = with(full, value: #"it's "$HOME" `id` \ \' ‘q’ ‚‛ 🔐"#)

    /// `base` with `value` in the scope and variants of it in the other written fields.
    static func with(_ base: TokenSet, value: String) -> TokenSet {
        var token = base
        token.accessToken = value + "#a"
        token.tokenType = value + value
        token.scope = value
        token.idToken = "i" + value
        return token
    }

    /// Options for `shell` with the fixed clock.
    static func options(_ shell: any ShellDialect = ShDialect(), prefix: String = "AUTHFLOW_", useIDToken: Bool = false) -> OutputOptions {
        OutputOptions(profile: "prod", prefix: prefix, shell: shell, useIDToken: useIDToken, now: now)
    }
}

/// A writer with the options to run it, named for test output.
struct WriterCase: Sendable, CustomTestStringConvertible {
    let label: String
    let writer: any OutputWriter
    let options: OutputOptions

    var testDescription: String { label }

    /// Every writer, `env` once per dialect.
    static let all: [WriterCase] = {
        let plain: [any OutputWriter] = [RawWriter(), HeaderWriter(), JSONWriter()]
        var cases = plain.map { WriterCase(label: $0.name, writer: $0, options: OutputFixtures.options()) }
        for dialect in ShellDialects.all {
            cases.append(WriterCase(label: "env-\(dialect.name)", writer: EnvWriter(), options: OutputFixtures.options(dialect)))
        }
        return cases
    }()

    func write(_ token: TokenSet) throws -> String { try writer.write(token, options: options) }
}
