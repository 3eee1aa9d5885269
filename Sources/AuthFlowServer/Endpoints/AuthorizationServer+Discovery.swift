import AuthFlowCore

extension AuthorizationServer {
    /// OIDC discovery (`openID`) or RFC 8414 metadata for `issuer`, naming only what this server does.
    func discoveryDocument(at issuer: Issuer, openID: Bool) -> EndpointResponse {
        let methods = JSONValue.array(ServeSchema.authMethods.map(JSONValue.string))
        var document: [String: JSONValue] = [
            "issuer": .string(issuer.url),
            "token_endpoint": .string("\(issuer.endpoints)/token"),
            "jwks_uri": .string("\(issuer.endpoints)/keys"),
            "introspection_endpoint": .string("\(issuer.endpoints)/introspect"),
            "revocation_endpoint": .string("\(issuer.endpoints)/revoke"),
            "userinfo_endpoint": .string("\(issuer.endpoints)/userinfo"),
            "authorization_endpoint": .string("\(issuer.endpoints)/authorize"),
            "response_types_supported": .array([.string("code")]),
            "code_challenge_methods_supported": .array([.string("S256")]),
            "authorization_response_iss_parameter_supported": .bool(true),
            "device_authorization_endpoint": .string("\(issuer.endpoints)/device/authorize"),
            "grant_types_supported": .array((ServeConfiguration.GrantType.allCases.map(\.wireName) + Self.mfaGrantTypes).map(JSONValue.string)),
            "scopes_supported": .array(issuer.settings.scopes.map(JSONValue.string)),
            "token_endpoint_auth_methods_supported": methods,
            "introspection_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_methods_supported": methods,
        ]
        if openID {
            document["subject_types_supported"] = .array([.string("public")])
            document["id_token_signing_alg_values_supported"] = .array([.string("RS256")])
            document["claims_supported"] = .array((["iss", "sub", "aud", "iat", "exp", "auth_time", "amr"]
                + Self.claimsByScope.values.flatMap { $0 }.sorted()).map(JSONValue.string))
        }
        return .json(.object(document))
    }
}
