@testable import AuthFlowCore
import Testing

@Suite struct ProxySettingsTests {
    static func bypass(_ host: String, _ noProxy: String, port: Int = 443) -> Bool {
        ProxySettings.bypasses(host: host, port: port, environment: ["NO_PROXY": noProxy])
    }

    @Test func noProxyMatchesHostsAndSuffixes() {
        let environment = ["NO_PROXY": "localhost, .internal.example.com,okta.com"]
        #expect(ProxySettings.bypasses(host: "localhost", port: 443, environment: environment))
        #expect(ProxySettings.bypasses(host: "a.internal.example.com", port: 443, environment: environment))
        #expect(ProxySettings.bypasses(host: "internal.example.com", port: 443, environment: environment), "'.domain' covers the domain itself, as curl reads it")
        #expect(ProxySettings.bypasses(host: "dev.okta.com", port: 443, environment: environment))
        #expect(!ProxySettings.bypasses(host: "notokta.com", port: 443, environment: environment))
        #expect(ProxySettings.bypasses(host: "anything", port: 443, environment: ["no_proxy": "*"]))
        #expect(!ProxySettings.bypasses(host: "anything", port: 443, environment: [:]))
    }

    @Test("NO_PROXY is case-insensitive, takes *.domain, a trailing dot, spaces as separators")
    func noProxyForms() {
        #expect(Self.bypass("Auth.Example.COM", "EXAMPLE.com"))
        #expect(Self.bypass("auth.example.com", "*.example.com"))
        #expect(Self.bypass("auth.example.com.", "example.com"))
        #expect(Self.bypass("auth.example.com", "foo.test example.com"))
        #expect(!Self.bypass("example.com.evil.test", "example.com"))
        #expect(!Self.bypass("badexample.com", ".example.com"))
    }

    @Test("NO_PROXY host:port matches only that port")
    func noProxyPorts() {
        #expect(Self.bypass("auth.example.com", "auth.example.com:8443", port: 8443))
        #expect(!Self.bypass("auth.example.com", "auth.example.com:8443", port: 443))
        #expect(Self.bypass("127.0.0.1", "127.0.0.1:9000", port: 9000))
        #expect(Self.bypass("::1", "[::1]:9000", port: 9000))
        #expect(!Self.bypass("::1", "[::1]:9000", port: 9001))
    }

    @Test("NO_PROXY IP addresses and CIDR ranges; a name is never matched against an IP range")
    func noProxyAddresses() {
        #expect(Self.bypass("127.0.0.1", "127.0.0.0/8"))
        #expect(Self.bypass("10.1.2.3", "192.168.0.0/16,10.0.0.0/8"))
        #expect(!Self.bypass("11.1.2.3", "10.0.0.0/8"))
        #expect(Self.bypass("::1", "::1"))
        #expect(Self.bypass("[::1]", "::1"))
        #expect(Self.bypass("fd12::5", "fd00::/8"))
        #expect(!Self.bypass("fe80::1", "fd00::/8"))
        #expect(!Self.bypass("127.0.0.1", "0.0.1"), "an IP address is not a domain suffix")
        #expect(!Self.bypass("localhost", "127.0.0.0/8"))
    }

    @Test("an empty no_proxy does not hide NO_PROXY")
    func emptyLowercaseVariable() {
        #expect(ProxySettings.bypasses(host: "a.test", port: 443, environment: ["no_proxy": "", "NO_PROXY": "a.test"]))
    }

    @Test("this machine is never reached through a proxy, whatever NO_PROXY says",
          arguments: ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]"])
    func loopbackIsDirect(host: String) {
        #expect(ProxySettings.direct(host: host, port: 8080, environment: ["HTTPS_PROXY": "http://proxy:3128"]))
    }

    @Test("other hosts go through the proxy unless NO_PROXY lists them", arguments: ["auth.test", "192.0.2.7", "128.0.0.1", "localhost.example.com", "::2"])
    func othersUseTheProxy(host: String) {
        #expect(!ProxySettings.direct(host: host, port: 443, environment: [:]))
        #expect(ProxySettings.direct(host: host, port: 443, environment: ["NO_PROXY": "*"]))
    }

    @Test func aProxyIsNamedWithoutItsPassword() throws {
        let choice = try #require(ProxySettings.proxy(forScheme: "https", environment: ["HTTPS_PROXY": "http://bob:hunter2@proxy:3128"])).get()
        #expect(choice.shown == "HTTPS_PROXY=http://<redacted>@proxy:3128")
    }

    @Test func proxyComesFromTheSchemesVariable() throws {
        #expect(ProxySettings.proxy(forScheme: "https", environment: ["HTTPS_PROXY": "http://127.0.0.1:3128"]) != nil)
        #expect(ProxySettings.proxy(forScheme: "https", environment: ["HTTP_PROXY": "http://127.0.0.1:3128"]) == nil)
        #expect(ProxySettings.proxy(forScheme: "http", environment: ["http_proxy": "127.0.0.1:3128"]) != nil)
        #expect(throws: Never.self) { try ProxySettings.proxy(forScheme: "https", environment: ["https_proxy": "socks5://127.0.0.1:1080"])?.get() }
    }

    @Test("a proxy authflow cannot use is an error naming the variable, never a silent direct connection")
    func unusableProxy() throws {
        for value in ["https://proxy.example.com:3128", "socks4://proxy:1080", "http://"] {
            let result = try #require(ProxySettings.proxy(forScheme: "https", environment: ["HTTPS_PROXY": value]))
            guard case .failure(let error) = result else {
                Issue.record("\(value) was accepted")
                continue
            }
            #expect(error.message.contains("HTTPS_PROXY="), "\(error.message)")
        }
        let withPassword = try #require(ProxySettings.proxy(forScheme: "https", environment: ["HTTPS_PROXY": "https://bob:hunter2@proxy:3128"]))
        guard case .failure(let error) = withPassword else {
            Issue.record("an https:// proxy was accepted")
            return
        }
        #expect(!error.message.contains("hunter2") && error.message.contains("https://<redacted>@proxy:3128"), "\(error.message)")
    }
}
