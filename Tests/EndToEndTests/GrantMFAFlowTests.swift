import Crypto
import Foundation
import Testing

/// Okta Direct Authentication on the password grant, the built binary against a real server,
/// the test playing the user: it computes the authenticator app's code, answers the push on the
/// "phone", and reads the SMS the server "sent". The out-of-band tests also run for the
/// passwordless `okta_oob` grant, which sees the same challenge through (`SignIn`).
@Suite("MFA on the password grant", .serialized, .authorizationServers)
struct GrantMFAFlowTests {
    /// The servers that speak Direct Authentication.
    static let servers = ServerKind.all
    /// Enrolled with an authenticator app (this base32 secret), push with a number challenge, and sms/voice/email.
    static let user = "mfa-user@example.com"
    /// Enrolled with push only; the "phone" approves on the third poll.
    static let autoUser = "mfa-auto@example.com"
    static let password = "Mfa-Passw0rd!"
    static let totpSecret = "JBSWY3DPEHPK3PXP"
    /// The "user" types the code when it arrives: a command reference that waits for the file `sms.txt` the test writes.
    static let typing = "{command: [sh, -c, 'i=0; while [ ! -s sms.txt ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; cat sms.txt']}"

    /// RFC 6238 as an authenticator app computes it: HMAC-SHA-1 over the 30 s step, 6 digits.
    static func totp(at time: Date = Date()) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var key: [UInt8] = [], buffer = 0, bits = 0
        for character in totpSecret {
            buffer = (buffer << 5) | (alphabet.firstIndex(of: character) ?? 0)
            bits += 5
            if bits >= 8 { bits -= 8; key.append(UInt8((buffer >> bits) & 0xff)) }
        }
        let counter = UInt64(time.timeIntervalSince1970) / 30
        let message = (0..<8).map { UInt8((counter >> (56 - 8 * UInt64($0))) & 0xff) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[19] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        return String(format: "%06u", value % 1_000_000)
    }

    func profile(_ server: any AuthorizationServerProcess, user: String = Self.user, mfa: String?, authServer: String = "default") -> String {
        server.okta(authServer) + server.client() + "grant:\n  type: password\n  username: \(user)\n  password: env:E2E_MFA_PASSWORD\n"
            + (mfa.map { "  mfa: \($0)\n" } ?? "") + "scopes: [openid, profile]\n"
    }

    /// How the user signs in with an out-of-band factor: the password, then the factor
    /// (`grant.mfa`); or the factor alone (`okta_oob`). Both see the same challenge through.
    enum SignIn: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case secondFactor = "password then grant.mfa"
        case passwordless = "okta_oob"
        var testDescription: String { rawValue }

        /// The profile for `user` with `factor` (push, sms, ...) and, for a sent code, `code`.
        func profile(_ server: any AuthorizationServerProcess, user: String = GrantMFAFlowTests.user, factor: String, code: String? = nil) -> String {
            let codeKey = code.map { ", code: \($0)" } ?? ""
            switch self {
            case .secondFactor: return GrantMFAFlowTests().profile(server, user: user, mfa: "{factor: \(factor)\(codeKey)}")
            case .passwordless:
                return server.okta("default") + server.client() + "grant: {type: okta_oob, username: \(user), channel: \(factor)\(codeKey)}\nscopes: [openid, profile]\n"
            }
        }
    }

    func sandbox(_ server: any AuthorizationServerProcess, _ profile: String) throws -> Sandbox {
        let sandbox = try Sandbox(for: server)
        sandbox.environment["E2E_MFA_PASSWORD"] = Self.password
        try sandbox.write(ProfileYAML.file(["mfa": profile]))
        return sandbox
    }

    /// The user's latest challenge at the server: its channel, the code it sent, its poll times.
    func challenge(_ server: any AuthorizationServerProcess, user: String = Self.user) async throws -> [String: Any] {
        let url = try #require(URL(string: server.base + "/__authflow/mfa/challenge?username=\(user)"))
        return try #require(try JSONSerialization.jsonObject(with: try await LoopbackHTTP.send(.get, url, expect: 200)) as? [String: Any])
    }

    func answerPush(_ server: any AuthorizationServerProcess, action: String) async throws {
        let url = try #require(URL(string: server.base + "/__authflow/mfa/approve"))
        _ = try await LoopbackHTTP.send(.post, url, body: LoopbackHTTP.formBody(["username": Self.user, "action": action]),
                                        contentType: "application/x-www-form-urlencoded", expect: 200)
    }

    /// How many token requests `server` has answered (its admin API, or serve's stats, which
    /// name a counter only once it has counted something).
    func tokenRequests(_ server: any AuthorizationServerProcess) async throws -> Int {
        if let admin = server.admin { return try await admin.requests().token_requests }
        let stats = try #require(URL(string: server.base + "/__authflow/stats"))
        let json = try #require(try JSONSerialization.jsonObject(with: try await LoopbackHTTP.send(.get, stats, expect: 200)) as? [String: Any])
        return (json["token_requests"] as? NSNumber)?.intValue ?? 0
    }

    func expectRefused(_ result: RunResult, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.exitCode == 77 && result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("authflow: error: ") && result.stderr.contains(fragment), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("otp: the authenticator's code gets tokens; the next call uses the cache and asks nothing", arguments: servers)
    func otp(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, profile(server, mfa: "{factor: otp, otp: env:E2E_OTP}"))
        let code = Self.totp()
        let result = try await sandbox.run(["token", "mfa"], env: ["E2E_OTP": code])
        let stdout = result.expectSuccessIgnoringStderr()
        if kind == .authflowServe {  // the Authlib server's access tokens are opaque
            #expect(try jwtClaims(stdout.trimmingCharacters(in: .newlines))["sub"] as? String == Self.user)
        }
        #expect(!result.stderr.contains(code))
        // Cached: no second factor (and no E2E_OTP) needed.
        #expect(try await sandbox.run(["token", "mfa"]).expectSuccess() == stdout)
        let cache = sandbox.root.appendingPathComponent("cache")
        for file in try FileManager.default.contentsOfDirectory(atPath: cache.path) {
            let text = (try? String(contentsOf: cache.appendingPathComponent(file), encoding: .utf8)) ?? ""
            #expect(!text.contains("mfa_token") && !text.contains(code), "\(file) keeps no MFA secret")
        }
    }

    @Test("otp: a wrong code is exit 77 naming the second factor, stdout empty", arguments: servers)
    func wrongOTP(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, profile(server, mfa: "{factor: otp, otp: env:E2E_OTP}"))
        let now = Date()
        let valid = Set([-30.0, 0, 30].map { Self.totp(at: now.addingTimeInterval($0)) })
        let wrong = (1...20).map { Self.totp(at: now.addingTimeInterval(Double($0) * 3600)) }.first { !valid.contains($0) } ?? "000000"
        let result = try await sandbox.run(["token", "mfa"], env: ["E2E_OTP": wrong])
        expectRefused(result, "second factor")
        #expect(!result.stderr.contains(wrong))
    }

    @Test("push: approved by the phone after a few polls, spaced by the interval at the server", arguments: servers, SignIn.allCases)
    func pushApprovedAfterPolls(_ kind: ServerKind, _ signIn: SignIn) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, signIn.profile(server, user: Self.autoUser, factor: "push"))
        let result = try await sandbox.run("token", "mfa")
        let stdout = result.expectSuccessIgnoringStderr()
        if kind == .authflowServe {  // the Authlib server's access tokens are opaque
            #expect(try jwtClaims(stdout.trimmingCharacters(in: .newlines))["sub"] as? String == Self.autoUser)
        }
        #expect(result.stderr.contains("Okta Verify") && result.stderr.contains("Approved. Signed in."), "\(result)")
        // Not a terminal: the wait is one line with the time left (then one per 15 s at most).
        #expect(result.stderrLines.filter { $0.hasPrefix("authflow: waiting for the sign-in to be approved (") && $0.hasSuffix(" left)") }.count == 1, "\(result)")
        let polls = try await challenge(server, user: Self.autoUser)["polls"] as? [Double] ?? []
        #expect(polls.count == 3, "\(polls)")
        let gaps = zip(polls.dropFirst(), polls).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 0.95 }, "never faster than the 1 s interval: \(gaps)")
    }

    @Test("push with a number challenge: the number is shown on stderr, the user taps it and approves", arguments: servers, SignIn.allCases)
    func pushNumberChallenge(_ kind: ServerKind, _ signIn: SignIn) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, signIn.profile(server, factor: "push"))
        let run = try InteractiveRun(sandbox, ["token", "mfa"])
        let number = try await run.await(#"tap (\d+) in Okta Verify"#)
        #expect(try await challenge(server)["code"] as? String == number, "the number the server asked the phone for")
        try await answerPush(server, action: "approve")
        let result = try await run.result()
        let stdout = result.expectSuccessIgnoringStderr()
        #expect(!stdout.contains("Okta Verify") && result.stderr.contains("Approved."), "\(result)")
    }

    @Test("push denied on the phone: exit 77, stdout empty", arguments: servers, SignIn.allCases)
    func pushDenied(_ kind: ServerKind, _ signIn: SignIn) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, signIn.profile(server, factor: "push"))
        let run = try InteractiveRun(sandbox, ["token", "mfa"])
        _ = try await run.await("Okta Verify")
        try await answerPush(server, action: "deny")
        expectRefused(try await run.result(), "access_denied")
    }

    @Test("sms: the code the server sent is read back and typed (a command reference here)", arguments: servers, SignIn.allCases)
    func smsCode(_ kind: ServerKind, _ signIn: SignIn) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, signIn.profile(server, factor: "sms", code: Self.typing))
        let run = try InteractiveRun(sandbox, ["token", "mfa"])
        _ = try await run.await("by SMS")
        let sent = try await challenge(server)
        #expect(sent["channel"] as? String == "sms")
        let code = try #require(sent["code"] as? String)
        try Data(code.utf8).write(to: sandbox.work.appendingPathComponent("sms.txt"))
        let result = try await run.result()
        result.expectSuccessIgnoringStderr()
        #expect(!result.stderr.contains(code) && !result.stdout.contains(code), "\(result)")
    }

    @Test("an mfa_token that expired before the code came is exit 77", arguments: servers)
    func expiredMFAToken(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        // aus_custom1 in serve-e2e.yaml: mfa_tokens live 2 s; the authenticator takes 3.
        let slow = "{command: [sh, -c, 'sleep 3; printf %s \"$E2E_OTP\"']}"
        let sandbox = try sandbox(server, profile(server, mfa: "{factor: otp, otp: \(slow)}", authServer: "aus_custom1"))
        let result = try await sandbox.run(["token", "mfa"], env: ["E2E_OTP": Self.totp(at: Date().addingTimeInterval(3))])
        expectRefused(result, "expired")
    }

    @Test("no grant.mfa and no terminal (kubectl interactive: false): exit 77 after one request, saying how to configure it", arguments: servers)
    func noTerminal(_ kind: ServerKind) async throws {
        let server = try await ServerPool.server(kind)
        let sandbox = try sandbox(server, profile(server, mfa: nil))
        let before = try await tokenRequests(server)
        let info = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#
        let result = try await sandbox.run(["kubectl", "mfa"], env: ["KUBERNETES_EXEC_INFO": info])
        expectRefused(result, "second factor")
        #expect(result.stderr.contains("grant.mfa") && result.stderr.contains("hint: "), "\(result)")
        #expect(try await tokenRequests(server) == before + 1, "one password request, no loop")
        // Without a controlling terminal at all (setsid: a new session), the same.
        let setsid = try #require(Subprocess.which("setsid"))
        let output = try await Subprocess.run(setsid, ["--wait", try AuthFlowBinary.url().path, "token", "mfa"], environment: sandbox.environment, directory: sandbox.work)
        #expect(output.status == 77 && output.stdout.isEmpty, "exit \(output.status): \(String(decoding: output.stderr, as: UTF8.self))")
        #expect(String(decoding: output.stderr, as: UTF8.self).contains("grant.mfa"))
    }

    @Test("validate: grant.mfa keys are checked with positions and suggestions")
    func validation() async throws {
        let sandbox = try Sandbox()
        let grant = "domain: example.okta.com\nclient: {id: x}\ngrant:\n  type: password\n  username: u\n  password: prompt\n"
        try sandbox.write(ProfileYAML.file([
            "a": grant + "  mfa: {factr: otp}\n",
            "b": grant + "  mfa: {factor: push, otp: prompt}\n",
            "c": grant + "  mfa: {factor: sms, code: '123456'}\n",
        ]))
        let result = try await sandbox.run("validate")
        #expect(result.exitCode == 65, "\(result)")
        #expect(result.stderr.contains("did you mean 'factor'"), "\(result)")
        #expect(result.stderr.contains("authflow.yaml:18:") && result.stderr.contains("grant.mfa.otp does not apply to factor push"), "\(result)")
        #expect(result.stderr.contains("grant.mfa.code"), "\(result)")
    }
}
