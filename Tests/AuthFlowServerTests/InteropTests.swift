import AuthFlowCore
import Foundation
import Testing

/// `authflow serve` against independent code: Authlib's OAuth 2.0 client gets the tokens and
/// PyJWT verifies them against the JWKS named by the discovery document.
@Suite("Interoperability", .enabled(if: Python.hasInteropLibraries, "needs python3 with authlib, requests and PyJWT"))
struct InteropTests {
    static let script = #"""
    import sys, jwt
    from authlib.integrations.requests_client import OAuth2Session
    import requests

    issuer = sys.argv[1] + "/oauth2/default"
    meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == issuer, meta
    keys = jwt.PyJWKClient(meta["jwks_uri"])

    def verify(token, audience):
        key = keys.get_signing_key_from_jwt(token).key
        return jwt.decode(token, key, algorithms=["RS256"], audience=audience, issuer=issuer)

    # Authlib 1.9 sends Basic credentials without form-urlencoding them (RFC 6749 §2.3.1), so this
    # works for a plain secret only; the server decodes as the RFC says and refuses "s3cr3t/+= &%x" raw.
    user = OAuth2Session("0oab8olIgVNOkztHm0h7", "demo-client-secret", token_endpoint_auth_method="client_secret_basic", scope="openid profile")
    token = user.fetch_token(meta["token_endpoint"], grant_type="password", username="testuser1@example.com", password="Passw0rd!")
    access = verify(token["access_token"], "api://default")
    assert access["sub"] == "testuser1@example.com" and access["cid"] == "0oab8olIgVNOkztHm0h7" and access["scp"] == ["openid", "profile"], access
    identity = verify(token["id_token"], "0oab8olIgVNOkztHm0h7")
    assert identity["sub"] == "00u1testuser1" and identity["name"] == "Test User One", identity

    machine = OAuth2Session("machine", "machine-secret", token_endpoint_auth_method="client_secret_post", scope="api:read")
    token = machine.fetch_token(meta["token_endpoint"], grant_type="client_credentials")
    assert verify(token["access_token"], "api://default")["sub"] == "machine"
    print("ok")
    """#

    @Test func authlibGetsTokensAndPyJWTVerifiesThem() async throws {
        try await TestServer.with { server in
            let result = try await Python.run(["-c", Self.script, server.base])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.hasSuffix("ok\n"))
        }
    }
}

/// python3, started without a shell and awaited without blocking a thread.
enum Python {
    /// True when python3 can import what the interoperability tests use.
    static let hasInteropLibraries: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import authlib, jwt, requests"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Runs python3 with `arguments`; stdout and stderr together.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process(), pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = pipe
        process.standardError = pipe
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
