/// One grant's part of a token request: its form fields and the secret values among them.
public struct GrantParameters: Sendable {
    /// Form fields, in order, starting with `grant_type`.
    public var fields: [(name: String, value: String)]
    /// Secret values in `fields`, kept for redaction.
    public var secrets: [Secret]
    /// The single-use credential among the fields (`authorization code`, `refresh token`...),
    /// named for messages; nil when the request may be sent twice (see `TransportRequest.singleUse`).
    public var singleUse: String?
    /// Builds the parameters anew for another attempt, when they carry an assertion authflow
    /// signed (its `jti` is accepted once); nil: the same fields are sent again.
    public var renewal: (@Sendable () async throws -> GrantParameters)?

    /// Creates the parameters.
    public init(fields: [(name: String, value: String)], secrets: [Secret] = [], singleUse: String? = nil) {
        self.fields = fields
        self.secrets = secrets
        self.singleUse = singleUse
    }

    /// These parameters with `extra` fields after the grant's own, in every renewal too.
    func appending(_ extra: [(name: String, value: String)]) -> GrantParameters {
        var result = GrantParameters(fields: fields + extra, secrets: secrets, singleUse: singleUse)
        if let renewal { result.renewal = { try await renewal().appending(extra) } }
        return result
    }
}
