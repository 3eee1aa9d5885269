import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Authorization code + PKCE with a loopback redirect against `authflow serve`; the test is the
/// browser: it opens the URL authflow prints on stderr, signs in on the login form, and takes the
/// redirect to authflow's listener (as is, or tampered with for the error paths).
@Suite("Authorization code flow", .serialized, .authorizationServers)
struct GrantAuthorizationCodeFlowTests {
    func webProfile(_ server: any AuthorizationServerProcess, scopes: String = "[openid, profile, offline_access]") -> String {
        server.okta("default") + "client:\n  id: \(server.fixture.publicClientID)\ngrant: authorization_code\nscopes: \(scopes)\n"
    }

    /// Starts authflow and signs in; returns the run and the redirect's Location (not followed).
    func signIn(_ server: any AuthorizationServerProcess, _ sandbox: Sandbox) async throws -> (InteractiveRun, URLComponents) {
        let run = try InteractiveRun(sandbox, ["token", "web", "--no-browser"])
        let authorize = try #require(URL(string: try await run.await(#"(http://127\.0\.0\.1:\d+/oauth2/\S+)"#)))
        let page = try await Browser.fetch(authorize)
        #expect(page.status == 200 && page.body.contains(#"name="code_challenge""#), "\(page.body)")
        var form = try #require(URLComponents(url: authorize, resolvingAgainstBaseURL: false)).queryItems ?? []
        form += [URLQueryItem(name: "username", value: server.fixture.username), URLQueryItem(name: "password", value: server.fixture.password)]
        let encoded = form.map { "\(LoopbackHTTP.formEncode($0.name))=\(LoopbackHTTP.formEncode($0.value ?? ""))" }.joined(separator: "&")
        var post = URLRequest(url: try #require(URL(string: authorize.absoluteString.components(separatedBy: "?")[0])))
        post.httpMethod = "POST"
        post.httpBody = Data(encoded.utf8)
        post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let answer = try await Browser.send(post)
        #expect(answer.status == 302, "\(answer.body)")
        let location = try #require(answer.location.flatMap { URLComponents(string: $0) })
        return (run, location)
    }

    @Test("sign in through the login form; the redirect carries code, state and iss; the token goes to stdout only")
    func signInWorks() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["web": webProfile(server)]))
        let (run, location) = try await signIn(server, sandbox)
        #expect(location.host == "127.0.0.1" && location.path == "/callback")
        let items = Dictionary((location.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(items["iss"] == server.issuer("default"))
        #expect(items["code"] != nil && items["state"] != nil)
        let callback = try await Browser.fetch(try #require(location.url))
        #expect(callback.status == 200 && callback.body.contains("return to the terminal"))

        let result = try await run.result()
        let stdout = result.expectSuccessIgnoringStderr()
        let claims = try jwtClaims(stdout.trimmingCharacters(in: .newlines))
        #expect(claims["sub"] as? String == server.fixture.username)
        #expect(!stdout.contains("authorize"), "the URL goes to stderr only")
        // The listener is closed once the redirect arrived.
        let port = try #require(location.port)
        await #expect(throws: (any Error).self) { _ = try await Browser.fetch(try #require(URL(string: "http://127.0.0.1:\(port)/callback"))) }
    }

    @Test("a tampered redirect is exit 76 with empty stdout", arguments: ["state", "iss", "code"])
    func tamperedRedirect(field: String) async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["web": webProfile(server)]))
        var (run, location) = try await signIn(server, sandbox)
        location.queryItems = (location.queryItems ?? []).compactMap { item in
            guard item.name == field else { return item }
            switch field {
            case "state": return URLQueryItem(name: "state", value: "forged-state")
            case "iss": return URLQueryItem(name: "iss", value: "https://evil.example.com")
            default: return nil  // no code
            }
        }
        _ = try await Browser.fetch(try #require(location.url))
        let result = try await run.result()
        #expect(result.exitCode == 76, "\(result)")
        #expect(result.stdout.isEmpty)
        let expected = ["state": "state does not match", "iss": "evil.example.com", "code": "has no code"][field] ?? ""
        #expect(result.stderr.contains("authflow: error: ") && result.stderr.contains(expected), "\(result)")
    }

    @Test("the server's error redirect (a scope the server does not have) is exit 77")
    func errorRedirect() async throws {
        let server = try await ServerPool.server(.authflowServe)
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["web": webProfile(server, scopes: "[openid, no:such:scope]")]))
        let run = try InteractiveRun(sandbox, ["token", "web", "--no-browser"])
        let authorize = try #require(URL(string: try await run.await(#"(http://127\.0\.0\.1:\d+/oauth2/\S+)"#)))
        let answer = try await Browser.fetch(authorize)
        #expect(answer.status == 302)
        _ = try await Browser.fetch(try #require(answer.location.flatMap(URL.init(string:))))
        let result = try await run.result()
        #expect(result.exitCode == 77 && result.stdout.isEmpty && result.stderr.contains("invalid_scope"), "\(result)")
    }
}

/// A browser that does not follow redirects, so the test sees (and may tamper with) each one.
enum Browser {
    struct Answer {
        var status: Int
        var body: String
        var location: String?
    }

    final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]
        configuration.timeoutIntervalForRequest = 10
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    static func fetch(_ url: URL) async throws -> Answer { try await send(URLRequest(url: url)) }

    static func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(status: http?.statusCode ?? -1, body: String(decoding: data, as: UTF8.self), location: http?.value(forHTTPHeaderField: "Location"))
    }
}
