import Foundation
import Testing

/// The device authorization grant (RFC 8628) against `authflow serve`, the test playing the user
/// over real HTTP: it reads the code from authflow's stderr and approves on the verification page.
@Suite("Device code flow", .serialized, .authorizationServers)
struct GrantDeviceCodeFlowTests {
    static let codePattern = #"enter the code: ([A-Z]{4}-[A-Z]{4})"#

    func deviceProfile(_ server: any AuthorizationServerProcess, _ id: String = "default") -> String {
        server.okta(id) + "client:\n  id: \(server.fixture.publicClientID)\ngrant: device_code\nscopes: [openid, offline_access]\n"
    }

    func post(_ server: any AuthorizationServerProcess, _ path: String, _ fields: KeyValuePairs<String, String>, expect: Int = 200) async throws -> String {
        let url = try #require(URL(string: server.base + path))
        let data = try await LoopbackHTTP.send(.post, url, body: LoopbackHTTP.formBody(fields), contentType: "application/x-www-form-urlencoded", expect: expect)
        return String(decoding: data, as: UTF8.self)
    }

    func expectRefused(_ result: RunResult, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 77, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("authflow: error: ") && result.stderr.contains(fragment), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("the user approves on the verification page: the token goes to stdout, the code and URL only to stderr")
    func approveOnVerificationPage() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["dev": deviceProfile(server)]))
        let run = try InteractiveRun(sandbox, ["token", "dev"])
        let code = try await run.await(Self.codePattern)
        let complete = try await run.await(#"or open (\S+user_code=\S+),"#)
        #expect(complete.hasPrefix(server.base + "/activate"))
        // stderr is a file here, not a terminal: the wait is announced as a line, with the time left.
        _ = try await run.await(#"authflow: waiting for approval at 127\.0\.0\.1 \(\d+ min( \d+ s)? left\)"#)

        // The user opens the page from the terminal, sees the code filled in, and signs in.
        let page = String(decoding: try await LoopbackHTTP.send(.get, try #require(URL(string: complete)), expect: 200), as: UTF8.self)
        #expect(page.contains(#"value="\#(code)""#) && page.contains("<form"), "\(page)")
        let done = try await post(server, "/activate", ["user_code": code, "username": server.fixture.username, "password": server.fixture.password, "action": "approve"])
        #expect(done.contains("Device activated"))

        let result = try await run.result()
        let stdout = result.expectSuccessIgnoringStderr()
        #expect(!stdout.contains(code) && !stdout.contains("activate"), "nothing interactive on stdout")
        #expect(run.stderr.hasSuffix("Approved. Signed in.\n"), "\(run.stderr)")
        let claims = try jwtClaims(stdout.trimmingCharacters(in: .newlines))
        #expect(claims["sub"] as? String == server.fixture.username)
        #expect(claims["cid"] as? String == server.fixture.publicClientID)
        // Cached: the next call does not ask again.
        let again = try await sandbox.run("token", "dev")
        #expect(again.expectSuccess() == stdout)
    }

    @Test("a wrong password on the page does not approve; deny is exit 77 with empty stdout")
    func deny() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["dev": deviceProfile(server)]))
        let run = try InteractiveRun(sandbox, ["token", "dev"])
        let code = try await run.await(Self.codePattern)
        _ = try await post(server, "/activate", ["user_code": code, "username": server.fixture.username, "password": "wrong", "action": "approve"], expect: 401)
        _ = try await post(server, "/activate", ["user_code": code, "username": server.fixture.username, "password": server.fixture.password, "action": "deny"])
        expectRefused(try await run.result(), "denied")
    }

    @Test("slow_down adds 5 s to the interval, measured between polls at the server")
    func slowDownIsHonoured() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["dev": deviceProfile(server)]))
        let run = try InteractiveRun(sandbox, ["token", "dev"])
        let code = try await run.await(Self.codePattern)
        _ = try await post(server, "/__authflow/device/slow-down", ["user_code": code])
        let pollsURL = try #require(URL(string: server.base + "/__authflow/device/polls?user_code=\(code)"))
        func polls() async throws -> [Double] {
            let data = try await LoopbackHTTP.send(.get, pollsURL, expect: 200)
            return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["polls"] as? [Double]) ?? []
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while try await polls().count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        _ = try await post(server, "/__authflow/device/approve", ["user_code": code, "username": server.fixture.username])
        let result = try await run.result()
        result.expectSuccessIgnoringStderr()

        let times = try await polls()
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(times.count >= 3, "\(times)")
        #expect(gaps.allSatisfy { $0 >= 0.95 }, "never faster than the 1 s interval: \(gaps)")
        // The first poll got slow_down (forced before it); every later gap is at least 1 + 5 s.
        #expect(gaps.allSatisfy { $0 >= 5.9 }, "after slow_down the interval is 6 s: \(gaps)")
    }

    @Test("an expired device code is exit 77 naming the expiry, stdout empty")
    func expiry() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        // aus_custom1 in serve-e2e.yaml: device codes live 3 s.
        try sandbox.write(ProfileYAML.file(["dev": deviceProfile(server, "aus_custom1")]))
        let run = try InteractiveRun(sandbox, ["token", "dev"])
        _ = try await run.await(Self.codePattern)
        let result = try await run.result()
        expectRefused(result, "expired")
        #expect(result.duration < .seconds(20), "the 3 s expiry ends the polling: \(result)")
    }

    @Test("validation: device_code takes no grant keys")
    func validation() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["dev": server.okta() + "client: {id: x}\ngrant: {type: device_code, username: someone}\n"]))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65 && result.stderr.contains("grant.username does not apply to the device_code grant"), "\(result)")
    }
}

extension RunResult {
    /// Exit 0 with something on stdout; stderr may hold an interactive grant's instructions. Returns stdout.
    @discardableResult
    func expectSuccessIgnoringStderr(sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(exitCode == 0 && !stdout.isEmpty, "\(self)", sourceLocation: sourceLocation)
        return stdout
    }
}
