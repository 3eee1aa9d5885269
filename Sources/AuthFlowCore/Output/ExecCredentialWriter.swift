import Foundation

/// `k8s`: a Kubernetes `ExecCredential` for kubectl's exec plugin, `client.authentication.k8s.io/v1`
/// unless `KUBERNETES_EXEC_INFO` asks for `v1beta1`.
public struct ExecCredentialWriter: OutputWriter {
    /// The API version to write.
    public var apiVersion: String

    /// Creates the writer for `apiVersion`.
    public init(apiVersion: String = ExecCredentialWriter.v1) { self.apiVersion = apiVersion }

    /// `client.authentication.k8s.io/v1`
    public static let v1 = "client.authentication.k8s.io/v1"
    /// `client.authentication.k8s.io/v1beta1`
    public static let v1beta1 = "client.authentication.k8s.io/v1beta1"

    /// The writer and interactivity `KUBERNETES_EXEC_INFO` asks for (kubectl sets it for exec plugins).
    public static func fromExecInfo(_ info: String?) -> (writer: ExecCredentialWriter, interactive: Bool) {
        guard let info, let object = JSONValue.parse(Data(info.utf8))?.object else { return (ExecCredentialWriter(), true) }
        let version = object["apiVersion"]?.string == v1beta1 ? v1beta1 : v1
        var interactive = true
        if case .bool(let value)? = object["spec"]?["interactive"] { interactive = value }
        return (ExecCredentialWriter(apiVersion: version), interactive)
    }

    /// The format name.
    public var name: String { "k8s" }

    /// The ExecCredential JSON with `status.token` and `status.expirationTimestamp`.
    public func write(_ token: TokenSet, options: OutputOptions) throws -> String {
        var status: [String: JSONValue] = ["token": .string(try OutputCheck.bearerToken(token, options: options))]
        if let expiresAt = token.expiresAt {
            status["expirationTimestamp"] = .string(OutputCheck.rfc3339(try OutputCheck.unixSeconds(expiresAt)))
        }
        let credential: JSONValue = .object([
            "apiVersion": .string(apiVersion),
            "kind": .string("ExecCredential"),
            "status": .object(status),
        ])
        return credential.serialized(pretty: true) + "\n"
    }
}
