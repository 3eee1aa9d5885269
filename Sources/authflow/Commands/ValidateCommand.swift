import ArgumentParser
import AuthFlowCore

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check the profile file and print every problem (exit 0 or 65).")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        await Runner.run {
            let file = try Runner.loadFile(options)
            return "\(file.path): ok, \(file.profileNames.count) profile\(file.profileNames.count == 1 ? "" : "s"): \(file.profileNames.joined(separator: ", "))\n"
        }
    }
}
