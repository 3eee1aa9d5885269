import Foundation
import Testing

/// Okta Direct Authentication without a password (`okta_otp`, `okta_oob`), the built binary
/// against both servers, the test playing the user as in the MFA suite: it computes the
/// authenticator's code. The out-of-band sign-ins (push, number challenge, denial, SMS) run in
/// `GrantMFAFlowTests` for both ways of signing in (`SignIn`).
@Suite("Passwordless Okta sign-in: okta_otp and okta_oob", .serialized, .authorizationServers)
struct GrantPasswordlessFlowTests {
    static let servers = ServerKind.all
    let mfa = GrantMFAFlowTests()

    func profile(_ server: any AuthorizationServerProcess, _ grant: String) -> String {
        server.okta("default") + server.client() + "grant: \(grant)\nscopes: [openid, profile]\n"
    }

    func sandbox(_ server: any AuthorizationServerProcess, _ grant: String) throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        try sandbox.write(ProfileYAML.file(["nopw": profile(server, grant)]))
        return sandbox
    }

    @Test("okta_otp: the authenticator's code alone gets tokens for the user; the next call uses the cache", arguments: servers)
    func otp(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, "{type: okta_otp, username: \(GrantMFAFlowTests.user), otp: env:E2E_OTP}")
        let code = GrantMFAFlowTests.totp()
        let result = try await sandbox.run(["token", "nopw"], env: ["E2E_OTP": code])
        let stdout = result.expectSuccessIgnoringStderr()
        if kind == .authflowServe {  // the Authlib server's access tokens are opaque
            #expect(try jwtClaims(stdout.trimmingCharacters(in: .newlines))["sub"] as? String == GrantMFAFlowTests.user)
        }
        #expect(!result.stderr.contains(code))
        #expect(try await sandbox.run(["token", "nopw"]).expectSuccess() == stdout, "cached: no code needed")
    }

    @Test("okta_otp: a wrong code is exit 77 naming the passcode, stdout empty, the code nowhere", arguments: servers)
    func wrongOTP(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, "{type: okta_otp, username: \(GrantMFAFlowTests.user), otp: env:E2E_OTP}")
        let now = Date()
        let valid = Set([-30.0, 0, 30].map { GrantMFAFlowTests.totp(at: now.addingTimeInterval($0)) })
        let wrong = (1...20).map { GrantMFAFlowTests.totp(at: now.addingTimeInterval(Double($0) * 3600)) }.first { !valid.contains($0) } ?? "000000"
        let result = try await sandbox.run(["token", "nopw"], env: ["E2E_OTP": wrong])
        mfa.expectRefused(result, "one-time passcode")
        #expect(!result.stderr.contains(wrong))
    }

    @Test("okta_oob for a user without that authenticator: exit 77 from /primary-authenticate, no polling", arguments: servers)
    func notEnrolled(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, "{type: okta_oob, username: \(GrantMFAFlowTests.autoUser), channel: email}")
        let result = try await sandbox.run("token", "nopw")
        mfa.expectRefused(result, "unsupported_challenge_type")
        #expect(!result.stderr.contains("Waiting"), "\(result)")
    }

    @Test("okta_otp asking on the terminal where there is none (kubectl interactive: false, setsid): exit 78 before any request", arguments: servers)
    func noTerminal(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, "{type: okta_otp, username: \(GrantMFAFlowTests.user)}")
        let before = try await mfa.tokenRequests(server)
        let info = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#
        let result = try await sandbox.run(["kubectl", "nopw"], env: ["KUBERNETES_EXEC_INFO": info])
        result.expectFailure(78, "grant.otp")
        let setsid = try #require(Subprocess.which("setsid"))
        let output = try await Subprocess.run(setsid, ["--wait", try AuthFlowBinary.url().path, "token", "nopw"], environment: sandbox.environment, directory: sandbox.work)
        #expect(output.status == 78 && output.stdout.isEmpty, "exit \(output.status): \(String(decoding: output.stderr, as: UTF8.self))")
        #expect(try await mfa.tokenRequests(server) == before, "nothing is sent without the passcode")
    }

    /// What the server received, request by request: Okta documents each Direct Authentication
    /// request's parameters; the profile's scope, audience, resource and params belong to a grant's
    /// token request, never to `/challenge`, `/primary-authenticate` or an MFA follow-up.
    @Test("the MFA follow-ups and /primary-authenticate carry only Okta's documented parameters, the grants' token requests the profile's extras")
    func requestParameters() async throws {
        let server = try await ServerPool.server(.authlib)
        let admin = try server.requireAdmin()
        let extras = "audience: api://e2e\nresource: https://api.example.com\nparams: {acr_values: urn:e2e}\n"
        let sandbox = try Sandbox(for: server)
        sandbox.environment["E2E_MFA_PASSWORD"] = GrantMFAFlowTests.password
        let password = "grant:\n  type: password\n  username: \(GrantMFAFlowTests.autoUser)\n  password: env:E2E_MFA_PASSWORD\n"
        try sandbox.write(ProfileYAML.file([
            "push": server.okta("default") + server.client(.post) + password + "  mfa: {factor: push}\nscopes: [openid]\n" + extras,
            "otp": server.okta("default") + server.client(.post) + password.replacingOccurrences(of: GrantMFAFlowTests.autoUser, with: GrantMFAFlowTests.user)
                + "  mfa: {factor: otp, otp: env:E2E_OTP}\nscopes: [openid]\n" + extras,
            "nopw": server.okta("default") + server.client(.post) + "grant: {type: okta_oob, username: \(GrantMFAFlowTests.autoUser)}\nscopes: [openid]\n" + extras,
        ]))
        let client: Set<String> = ["client_id", "client_secret"]
        let extraNames: Set<String> = ["scope", "audience", "resource", "acr_values"]
        func sent(_ profile: String, env: [String: String?] = [:]) async throws -> [RecordedRequests.Request] {
            try await admin.reset()
            try await sandbox.run(["token", profile, "--no-cache"], env: env).expectSuccessIgnoringStderr()
            return try await admin.requests().history ?? []
        }

        let push = try await sent("push")
        #expect(push.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["token", "challenge", "token", "token", "token"], "\(push.map(\.path))")
        #expect(Set(push[0].form.keys) == client.union(["grant_type", "username", "password"]).union(extraNames), "the password request: \(push[0].form.keys.sorted())")
        #expect(Set(push[1].form.keys) == client.union(["mfa_token", "challenge_types_supported", "channel_hint"]), "/challenge: \(push[1].form.keys.sorted())")
        for poll in push.dropFirst(2) {
            #expect(Set(poll.form.keys) == client.union(["grant_type", "mfa_token", "oob_code"]), "an mfa-oob poll: \(poll.form.keys.sorted())")
        }

        let otp = try await sent("otp", env: ["E2E_OTP": GrantMFAFlowTests.totp()])
        #expect(otp.count == 2 && Set(otp[1].form.keys) == client.union(["grant_type", "mfa_token", "otp"]), "the mfa-otp request: \(otp.map { $0.form.keys.sorted() })")

        let nopw = try await sent("nopw")
        #expect(nopw.first?.path == "/oauth2/default/v1/primary-authenticate")
        #expect(Set(nopw.first.map { Array($0.form.keys) } ?? []) == client.union(["login_hint", "channel_hint", "challenge_hint"]), "/primary-authenticate: \(nopw.first?.form.keys.sorted() ?? [])")
        for poll in nopw.dropFirst() {
            #expect(Set(poll.form.keys) == client.union(["grant_type", "oob_code"]).union(extraNames), "the oob grant's token request: \(poll.form.keys.sorted())")
        }
    }

    @Test("validate: okta_otp and okta_oob keys are checked with positions and suggestions")
    func validation() async throws {
        let sandbox = try Sandbox()
        let head = "domain: example.okta.com\nclient: {id: x}\n"
        try sandbox.write(ProfileYAML.file([
            "a": head + "grant: {type: okta_oob, username: u, chanel: sms}\n",
            "b": head + "grant: {type: okta_oob, username: u, code: prompt}\n",
            "c": head + "grant: {type: okta_otp, username: u, otp: '123456'}\n",
            "d": head + "grant: {type: okta_otp, password: prompt}\n",
        ]))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stderr.contains("did you mean 'channel'"), "\(result)")
        #expect(result.stderr.contains("authflow.yaml:10:") && result.stderr.contains("grant.code does not apply to channel push"), "\(result)")
        #expect(result.stderr.contains("grant.otp"), "\(result)")
        #expect(result.stderr.contains("grant.password does not apply to the okta_otp grant") && result.stderr.contains("grant.username is missing"), "\(result)")
    }
}
