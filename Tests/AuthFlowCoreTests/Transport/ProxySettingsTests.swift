@testable import AuthFlowCore
import Testing

@Suite struct ProxySettingsTests {
    @Test func noProxyMatchesHostsAndSuffixes() {
        let environment = ["NO_PROXY": "localhost, .internal.example.com,okta.com"]
        #expect(ProxySettings.bypasses(host: "localhost", environment: environment))
        #expect(ProxySettings.bypasses(host: "a.internal.example.com", environment: environment))
        #expect(ProxySettings.bypasses(host: "dev.okta.com", environment: environment))
        #expect(!ProxySettings.bypasses(host: "notokta.com", environment: environment))
        #expect(ProxySettings.bypasses(host: "anything", environment: ["no_proxy": "*"]))
        #expect(!ProxySettings.bypasses(host: "anything", environment: [:]))
    }

    @Test func proxyComesFromTheSchemesVariable() {
        #expect(ProxySettings.proxy(forScheme: "https", environment: ["HTTPS_PROXY": "http://127.0.0.1:3128"]) != nil)
        #expect(ProxySettings.proxy(forScheme: "https", environment: ["HTTP_PROXY": "http://127.0.0.1:3128"]) == nil)
        #expect(ProxySettings.proxy(forScheme: "http", environment: ["http_proxy": "127.0.0.1:3128"]) != nil)
    }
}
