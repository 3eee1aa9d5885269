/// One grant's part of a token request: its form fields and the secret values among them.
public struct GrantParameters: Sendable {
    /// Form fields, in order, starting with `grant_type`.
    public var fields: [(name: String, value: String)]
    /// Secret values in `fields`, kept for redaction.
    public var secrets: [Secret]

    /// Creates the parameters.
    public init(fields: [(name: String, value: String)], secrets: [Secret] = []) {
        self.fields = fields
        self.secrets = secrets
    }
}
