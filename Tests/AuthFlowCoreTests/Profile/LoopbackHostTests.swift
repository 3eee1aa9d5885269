import AuthFlowCore
import Foundation
import Testing

/// Which hosts may use plain http (only loopback hosts): the answers `trimmingCharacters(in: "[]")` gave.
@Suite struct LoopbackHostTests {
    @Test(arguments: [
        ("localhost", true), ("LocalHost", true), ("::1", true), ("[::1]", true), ("[[::1]]", true), ("]::1[", true),
        ("127.0.0.1", true), ("127.255.0.9", true), ("[127.0.0.1]", true),
        ("127.0.0.256", false), ("127.0.0", false), ("128.0.0.1", false), ("localhost.", false), ("example.com", false),
        ("", false), ("[]", false), ("[ ::1]", false), ("::2", false), ("127.0.0.1\u{301}", false),
    ])
    func loopback(_ host: String, _ expected: Bool) {
        #expect(URL.isLoopback(host: host) == expected)
    }
}
