import AuthFlowCore
import Testing

@Suite("Discovery, keys and routing")
struct DiscoveryTests {
    @Test(arguments: [
        ("/.well-known/openid-configuration", "org"),
        ("/.well-known/oauth-authorization-server", "org"),
        ("/oauth2/default/.well-known/openid-configuration", "default"),
        ("/oauth2/default/.well-known/oauth-authorization-server", "default"),
        ("/.well-known/oauth-authorization-server/oauth2/default", "default"),
    ])
    func discoveryDocumentsFollowOktasLayout(path: String, serverID: String) async throws {
        try await TestServer.with { server in
            let reply = try await server.get(path)
            #expect(reply.status == 200)
            let issuer = serverID == "org" ? server.base : "\(server.base)/oauth2/default"
            let endpoints = serverID == "org" ? "\(server.base)/oauth2/v1" : "\(issuer)/v1"
            #expect(reply["issuer"]?.string == issuer)
            #expect(reply["token_endpoint"]?.string == "\(endpoints)/token")
            #expect(reply["jwks_uri"]?.string == "\(endpoints)/keys")
            #expect(reply["introspection_endpoint"]?.string == "\(endpoints)/introspect")
            #expect(reply["revocation_endpoint"]?.string == "\(endpoints)/revoke")
            #expect(reply["grant_types_supported"]?.arrayOfStrings == ["password", "client_credentials", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code",
                                                                    "authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                                                    "urn:okta:params:oauth:grant-type:otp", "urn:okta:params:oauth:grant-type:oob",
                                                                    "urn:okta:params:oauth:grant-type:mfa-otp", "urn:okta:params:oauth:grant-type:mfa-oob"])
            #expect(reply["device_authorization_endpoint"]?.string == "\(endpoints)/device/authorize")
            #expect(reply["authorization_endpoint"]?.string == "\(endpoints)/authorize")
            #expect(reply["scopes_supported"]?.arrayOfStrings?.contains("openid") == true)
            let openID = path.contains("openid-configuration")
            #expect((reply["id_token_signing_alg_values_supported"]?.arrayOfStrings == ["RS256"]) == openID)
        }
    }

    @Test(arguments: ["/oauth2/aus404/v1/token", "/oauth2/aus404/v1/keys", "/oauth2/aus404/.well-known/openid-configuration",
                      "/.well-known/oauth-authorization-server/oauth2/aus404"])
    func unknownServerIsOktasNotFound(path: String) async throws {
        try await TestServer.with { server in
            let reply = path.hasSuffix("token") ? try await server.post(path, [("grant_type", "password")]) : try await server.get(path)
            #expect(reply.status == 404)
            #expect(reply["errorCode"]?.string == "E0000007")
            #expect(reply["errorSummary"]?.string == "Not found: Resource not found: aus404 (AuthorizationServer)")
        }
    }

    @Test func unknownPathsAndMethodsGetOktaErrors() async throws {
        try await TestServer.with { server in
            #expect(try await server.get("/nothing/here")["errorCode"]?.string == "E0000007")
            let wrongMethod = try await server.get("/oauth2/default/v1/token")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod["errorCode"]?.string == "E0000022")
        }
    }

    @Test func statsCountTokenRequests() async throws {
        try await TestServer.with { server in
            _ = try await server.passwordGrant()
            _ = try await server.passwordGrant(scope: "nope")
            let stats = try await server.get("/__authflow/stats")
            #expect(stats["token_requests"]?.number == 2)
            #expect(stats["tokens_issued"]?.number == 1)
            #expect(stats["refresh_tokens_active"]?.number == 1)
        }
    }
}
