@testable import AuthFlowCore
import Foundation
import Testing

/// A profile's `verify:` keys, and what `authflow verify` takes from the profile.
@Suite struct VerificationProfileTests {
    func load(_ profile: String) throws -> Profile {
        let text = """
            version: 1
            profiles:
              p:
                client: {id: 0oab8olIgVNOkztHm0h7, secret: "literal:x"}
                grant: client_credentials
            \(profile.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        return try ProfileText.profile(text)
    }

    func problems(_ profile: String) -> [String] {
        do {
            _ = try load(profile)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func defaultsAreRS256AndSixtySeconds() throws {
        let profile = try load("domain: example.okta.com\nauth_server: default")
        #expect(profile.verification.algorithms == ["RS256"])
        #expect(profile.verification.leeway == .seconds(60))
        #expect(ProfileVerifier.defaultAudiences(profile) == ["api://default"])
    }

    @Test func verifyKeysAreRead() throws {
        let profile = try load("issuer: https://login.example.com\nverify: {algorithms: [RS256, ES256], leeway: 30s, audience: [https://api.example.com, urn:x]}")
        #expect(profile.verification.algorithms == ["RS256", "ES256"])
        #expect(profile.verification.leeway == .seconds(30))
        #expect(ProfileVerifier.defaultAudiences(profile) == ["https://api.example.com", "urn:x"])
    }

    @Test func audienceFallsBackToTheRequestAudience() throws {
        let profile = try load("issuer: https://login.example.com\naudience: https://api.example.com")
        #expect(ProfileVerifier.defaultAudiences(profile) == ["https://api.example.com"])
        #expect(ProfileVerifier.defaultAudiences(try load("issuer: https://login.example.com")).isEmpty, "no guess for a generic issuer")
    }

    @Test func hmacAndNoneCannotBeAllowed() {
        #expect(problems("issuer: https://login.example.com\nverify: {algorithms: [RS256, HS256]}").contains { $0.contains("'HS256' is not an asymmetric") })
        #expect(problems("issuer: https://login.example.com\nverify: {algorithms: none}").contains { $0.contains("'none'") })
    }

    @Test func leewayIsCappedAtTwoMinutes() {
        #expect(problems("issuer: https://login.example.com\nverify: {leeway: 5m}").contains { $0.contains("more than the 2 minutes") })
        #expect(problems("issuer: https://login.example.com\nverify: {leeway: 120s}").isEmpty)
    }

    @Test func unknownVerifyKeyIsAnError() {
        #expect(problems("issuer: https://login.example.com\nverify: {algorithm: RS256}").contains { $0.contains("unknown key 'algorithm'") })
    }

    @Test func oktaOrgServerIsNotLocallyVerifiable() async throws {
        let profile = try load("domain: example.okta.com")
        var request = VerifyRequest()
        request.token = "a.b.c"
        let (report, issuer) = try await ProfileVerifier(service: TokenService(environment: [:])).verify(request, profile: profile)
        #expect(issuer == nil)
        #expect(report.line == "invalid: verifiable: tokens of Okta's org authorization server (auth_server: org) are not locally verifiable; use authflow introspect p\n")
    }
}
