import AuthFlowCore
import Foundation

extension AuthorizationServer {
    /// `POST .../v1/device/authorize` (RFC 8628 §3.1–3.2): a device code, a user code and the
    /// verification page (`BASE/activate`, as Okta).
    func deviceAuthorize(_ request: EndpointRequest, at issuer: Issuer) async throws -> EndpointResponse {
        let form = try request.form()
        let client = try await authenticateClient(request, form: form)
        guard client.settings.grantTypes.contains(.deviceCode) else {
            throw OAuthError.unauthorizedClient("The client is not authorized to use the device authorization grant.")
        }
        let scopes = try requestedScopes(form, at: issuer)
        try checkOfflineAccess(scopes, client: client)
        var userCode = DeviceStore.newUserCode()
        while await devices.isTaken(userCode) { userCode = DeviceStore.newUserCode() }
        let settings = issuer.settings
        let pending = DeviceStore.Pending(serverID: issuer.id, clientID: client.settings.id, scopes: scopes, userCode: userCode,
                                          expiresAt: Self.now() + settings.deviceCodeLifetime, interval: Double(settings.deviceInterval))
        let deviceCode = await devices.start(pending)
        let page = "\(request.base)/activate"
        return .json(.object([
            "device_code": .string(deviceCode), "user_code": .string(userCode),
            "verification_uri": .string(page), "verification_uri_complete": .string("\(page)?user_code=\(userCode)"),
            "expires_in": .number(Double(settings.deviceCodeLifetime)), "interval": .number(Double(settings.deviceInterval)),
        ]), noStore: true)
    }

    /// The token request of the device grant: pending, slow_down, denied, expired, or the user's tokens.
    func deviceCodeGrant(_ form: [String: String], client: Client, at issuer: Issuer) async throws -> Authorization {
        guard let code = form["device_code"] else { throw OAuthError.invalidRequest("The 'device_code' parameter is required.") }
        switch await devices.poll(code, clientID: client.settings.id, now: Date().timeIntervalSince1970) {
        case .unknown: throw OAuthError.invalidGrant("The device code is invalid or has already been used.")
        case .expired: throw OAuthError(status: 400, code: "expired_token", description: "The device code has expired.")
        case .denied: throw OAuthError(status: 400, code: "access_denied", description: "The resource owner denied the request.")
        case .pending: throw OAuthError(status: 400, code: "authorization_pending", description: "The device authorization is pending. Please try again later.")
        case .slowDown: throw OAuthError(status: 400, code: "slow_down", description: "The client is polling too often; slow down.")
        case .approved(let pending, let username, let authTime):
            guard pending.serverID == issuer.id, let user = users[username] else {
                throw OAuthError.invalidGrant("The device code was issued by another authorization server.")
            }
            return Authorization(client: client, user: user, scopes: pending.scopes, authTime: authTime)
        }
    }

    /// The pages a person uses, outside the authorization servers' paths: `/activate` and the
    /// test-only `/__authflow/device/...` endpoints. Nil when `request` is not for one of them.
    func userPage(_ request: EndpointRequest) async -> EndpointResponse? {
        switch (request.method, request.path) {
        case ("GET", "/activate"):
            let code = FormEncoding.decode(request.query).first { $0.name == "user_code" }?.value ?? ""
            return Self.activationPage(userCode: code)
        case ("POST", "/activate"):
            return await activate(request)
        case ("POST", "/__authflow/device/approve"), ("POST", "/__authflow/device/slow-down"), ("GET", "/__authflow/device/polls"):
            return await deviceTestEndpoint(request)
        case ("POST", "/__authflow/mfa/approve"), ("GET", "/__authflow/mfa/challenge"):
            return await mfaTestEndpoint(request)
        default:
            return nil
        }
    }

    /// The verification page: the user code, a user name and password, approve or deny.
    static func activationPage(userCode: String, message: String = "", status: Int = 200) -> EndpointResponse {
        .html("Activate your device", """
            <p>\(message.htmlEscaped)</p>
            <form method="post" action="/activate">
            <label>Code <input name="user_code" value="\(userCode.htmlEscaped)" autocomplete="off"></label>
            <label>Username <input name="username" autocomplete="username"></label>
            <label>Password <input name="password" type="password" autocomplete="current-password"></label>
            <button name="action" value="approve">Approve</button> <button name="action" value="deny">Deny</button>
            </form>
            """, status: status)
    }

    private func activate(_ request: EndpointRequest) async -> EndpointResponse {
        let form = Dictionary(FormEncoding.decode(request.body).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let code = form["user_code"] ?? ""
        guard await devices.pending(userCode: code, now: Self.now()) != nil else {
            return Self.activationPage(userCode: code, message: "That code is unknown or has expired.", status: 400)
        }
        guard let username = form["username"], let user = users[username], Self.sameSecret(user.password.reveal(), form["password"] ?? "") else {
            return Self.activationPage(userCode: code, message: "Sign-in failed: wrong username or password.", status: 401)
        }
        let deny = form["action"] == "deny"
        _ = await devices.decide(userCode: code, deny ? .denied : .approved(username: username, authTime: Self.now()), now: Self.now())
        return .html(deny ? "Request denied" : "Device activated", deny ? "<p>The device was not signed in.</p>" : "<p>You can return to your device.</p>")
    }

    /// Test-only: approve or deny without a password, force `slow_down`, read the poll times.
    private func deviceTestEndpoint(_ request: EndpointRequest) async -> EndpointResponse {
        let form = Dictionary(FormEncoding.decode(request.method == "GET" ? request.query : request.body).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let code = form["user_code"] ?? ""
        switch request.path {
        case "/__authflow/device/approve":
            let username = form["username"] ?? ""
            let status: DeviceStore.Status = form["action"] == "deny" ? .denied : .approved(username: username, authTime: Self.now())
            guard form["action"] == "deny" || users[username] != nil else { return .json(.object(["ok": .bool(false), "reason": .string("unknown user")]), status: 400) }
            let done = await devices.decide(userCode: code, status, now: Self.now())
            return .json(.object(["ok": .bool(done)]), status: done ? 200 : 404)
        case "/__authflow/device/slow-down":
            let done = await devices.forceSlowDown(userCode: code)
            return .json(.object(["ok": .bool(done)]), status: done ? 200 : 404)
        default:
            guard let polls = await devices.polls(userCode: code) else { return .json(.object(["ok": .bool(false)]), status: 404) }
            return .json(.object(["polls": .array(polls.map(JSONValue.number))]))
        }
    }
}
