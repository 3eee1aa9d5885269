public import AuthFlowCore
import Foundation

extension ServeConfiguration {
    /// Loads and validates the file at `path`; throws `DiagnosticsError` listing every problem.
    public static func load(path: String) throws -> ServeConfiguration {
        let (root, source) = try YAMLLoader().load(contentsOf: path)
        return try ServeConfiguration(root: root, source: source, path: path)
    }

    /// Validates a parsed document; `path` names it in messages and anchors relative `file:` references.
    public init(root: YAMLNode?, source: String, path: String) throws {
        guard let root, !root.isNull else {
            throw DiagnosticsError([Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                               hint: "start with version: 1, then users, clients and authorization_servers (see examples/serve.yaml)")],
                                   source: source)
        }
        let absolute = (path as NSString).isAbsolutePath ? path : FileManager.default.currentDirectoryPath + "/" + path
        let directory = ((absolute as NSString).deletingLastPathComponent as NSString).standardizingPath
        var builder = ServeConfigurationBuilder()
        builder.directory = directory
        builder.diagnostics = SchemaValidation.check(root, as: .object(ServeSchema.file), owner: "the serve file")
        let users = builder.users(root["users"])
        let clients = builder.clients(root["clients"])
        let authServers = builder.authServers(root["authorization_servers"])
        let signingKey = root["signing_key"].flatMap { try? SecretReference.parse($0, path: "signing_key").get() }
        if !builder.diagnostics.isEmpty {
            var seen: Set<Diagnostic> = []
            let unique = builder.diagnostics.filter { seen.insert($0).inserted }.sorted { $0.location < $1.location }
            throw DiagnosticsError(unique, source: source)
        }
        self.init(path: path, directory: directory,
                  users: users, clients: clients, authServers: authServers, signingKey: signingKey)
    }
}
