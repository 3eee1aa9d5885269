import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `authflow serve`'s start-up failures in words a user acts on, not NIO's errno text.
@Suite("serve start-up errors")
struct ServeErrorTests {
    static var config: String { PackageLayout.servers.appendingPathComponent("serve-e2e.yaml").path }

    @Test("a port in use: exit 69, 'port N is in use', and --port or --port 0 as the way out")
    func portInUse() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(bound == 0 && listen(fd, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try await Sandbox().run("serve", "--config", Self.config, "--port", "\(port)")
        result.expectFailure(69, "port \(port) is in use on 127.0.0.1")
        #expect(result.stderrLines.last?.contains("--port 0") == true, "\(result)")
        #expect(!result.stderr.contains("errno") && !result.stderr.contains("bind("), "\(result)")
    }

    @Test("a bare serve with no serve.yaml points at --config examples/serve.yaml")
    func noServeFile() async throws {
        let result = try await Sandbox().run("serve")
        result.expectFailure(66, "no serve.yaml in this folder")
        #expect(result.stderrLines.last?.contains("--config examples/serve.yaml") == true, "\(result)")
    }

    @Test("--host 999.1.1.1 is a usage error with the addresses to use")
    func badHost() async throws {
        let result = try await Sandbox().run("serve", "--config", Self.config, "--host", "999.1.1.1", "--port", "0")
        result.expectFailure(64, "--host '999.1.1.1' is not an IPv4 address")
        #expect(result.stderrLines.last?.contains("127.0.0.1") == true, "\(result)")
    }

    @Test("--public-url that is not an http(s) base URL is a usage error", arguments: ["ftp://auth.example", "auth.example", "https://auth.example/?x=1"])
    func badPublicURL(value: String) async throws {
        let result = try await Sandbox().run("serve", "--config", Self.config, "--port", "0", "--public-url", value)
        result.expectFailure(64, "--public-url '\(value)' is not a base URL")
    }

    @Test("--public-url is what discovery and tokens advertise; the server still answers on its own address")
    func publicURLAdvertised() async throws {
        let server = try await LaunchedServer.start(
            kind: .authflowServe, executable: try AuthFlowBinary.url(),
            arguments: ["serve", "--config", Self.config, "--port", "0", "--public-url", "https://auth.dev.example/"], fixture: .authlib, makeAdmin: { _ in nil })
        let url = try #require(URL(string: server.base + "/oauth2/default/.well-known/openid-configuration"))
        let body = try await LoopbackHTTP.send(.get, url, expect: 200)
        await server.stop()
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(document["issuer"] as? String == "https://auth.dev.example/oauth2/default")
        #expect(document["token_endpoint"] as? String == "https://auth.dev.example/oauth2/default/v1/token")
    }

    @Test("serve takes -v like every command")
    func verboseAccepted() async throws {
        let result = try await Sandbox().run("-v", "serve", "--config", Self.config, "--host", "999.1.1.1")
        result.expectFailure(64, "--host")
    }
}
