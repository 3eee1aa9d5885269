import AuthFlowCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What interactive grants show on stderr, and the system browser (`open` on macOS, `xdg-open`
/// elsewhere, or `$BROWSER`), started without a shell with the URL as its only argument.
enum Browser {
    static func interaction(browser: Bool?, environment: [String: String]) -> Interaction {
        let bold = Runner.colours(STDERR_FILENO)
        return Interaction(
            show: { Console.error($0) },
            openBrowser: { open($0, environment: environment) },
            browser: browser,
            emphasis: { bold ? "\u{1B}[1m\($0)\u{1B}[0m" : $0 })
    }

    static func open(_ url: URL, environment: [String: String]) {
        #if os(macOS)
        let command = environment["BROWSER"] ?? "open"
        #else
        let command = environment["BROWSER"] ?? "xdg-open"
        #endif
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command, url.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            Console.error("authflow: warning: could not open a browser (\(command)); open the URL above yourself\n")
        }
    }
}
