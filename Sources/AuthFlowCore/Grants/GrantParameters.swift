/// One grant's part of a token request: its form fields and the secret values among them.
public struct GrantParameters: Sendable {
    /// Form fields, in order, starting with `grant_type`.
    public var fields: [(name: String, value: String)]
    /// Secret values in `fields`, kept for redaction.
    public var secrets: [Secret]
    /// The single-use credential among the fields (`authorization code`, `refresh token`...),
    /// named for messages; nil when the request may be sent twice (see `TransportRequest.singleUse`).
    public var singleUse: String?

    /// Creates the parameters.
    public init(fields: [(name: String, value: String)], secrets: [Secret] = [], singleUse: String? = nil) {
        self.fields = fields
        self.secrets = secrets
        self.singleUse = singleUse
    }
}
