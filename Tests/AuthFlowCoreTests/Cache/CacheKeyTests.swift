import AuthFlowCore
import Foundation
import Testing

/// A cache key names the token a profile gets: when a new grant or key is added, the keys of
/// profiles that do not use it stay byte for byte the same, so upgrading authflow keeps every
/// cached token (and its refresh token).
@Suite struct CacheKeyTests {
    func key(_ body: String) throws -> String {
        let text = "version: 1\nprofiles:\n  p:\n" + body.split(separator: "\n").map { "    \($0)\n" }.joined()
        return CacheKey(try ProfileText.profile(text)).hex
    }

    @Test("keys of existing profiles do not change", arguments: [
        ("domain: example.okta.com\nclient: {id: abc, secret: env:S}\ngrant: client_credentials\nscopes: [api:read]", "909e37bd0488579d53f6f3a0d299fa285404e886bede1ee7ea98f61a0bf5168f"),
        ("domain: example.okta.com\nauth_server: default\nclient: {id: abc}\ngrant: {type: password, username: u@example.com, password: env:P}\nscopes: [openid, profile]", "f9aab33609385d65e108c605565248c9e716244195313ecf929913ca0e451693"),
        ("domain: example.okta.com\nclient: {id: abc}\ngrant: {type: password, username: u, password: prompt, mfa: {factor: push}}\nscopes: [openid]", "19a5b9d2194334d3e0ea1c90bcc3b05aa5d75a7bcb59a93cf05185f80d8ab675"),
        ("issuer: https://login.example.com\nclient: {id: abc}\ngrant: device_code\nscopes: [openid]\naudience: api\nparams: {a: b}", "f3e78d711ff11646e7ad059a6235aa29d588e4de0bd0a892443041069484cfb9"),
    ])
    func unchanged(profile: String, expected: String) throws {
        #expect(try key(profile) == expected)
    }
}
