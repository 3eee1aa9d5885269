import ArgumentParser
import AuthFlowCore
import AuthFlowServer

/// Prints the JSON Schemas in `schemas/`, generated from the loaders' own schemas:
/// `authflow schema > schemas/authflow.schema.json`, `authflow schema serve > schemas/serve.schema.json`.
struct SchemaCommand: PrintingCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema of profile files (or of authflow serve's file).", shouldDisplay: false)

    @Argument(help: "Which file's schema: authflow (profile files) or serve.") var file = "authflow"

    func validate() throws {
        guard ["authflow", "serve"].contains(file) else { throw ValidationError("unknown schema '\(file)'; choose authflow or serve") }
    }

    func output() async throws -> String {
        file == "serve" ? ServeSchema.jsonSchemaText : ProfileSchema.jsonSchemaText
    }
}

extension ServeSchema {
    /// Where the published schema of `authflow serve`'s file lives.
    static let schemaURL = "https://raw.githubusercontent.com/authflow/authflow/main/schemas/serve.schema.json"

    /// `schemas/serve.schema.json`: the serve file's schema (no `key: ~` there: the serve loader does not unset keys).
    static var jsonSchemaText: String {
        JSONSchemaGenerator(allowsUnset: false).document(
            for: file, id: schemaURL, title: "authflow serve configuration",
            description: "Users, clients and authorization servers of `authflow serve`, the local Okta-compatible authorization server."
        ).serialized(pretty: true) + "\n"
    }
}
