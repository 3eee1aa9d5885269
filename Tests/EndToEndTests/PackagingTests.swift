import Foundation
import Testing

/// The Makefile's packaging targets: one version for the archive names and `authflow --version`, and
/// the Debian package installed, used and removed with dpkg.
@Suite("packaging")
struct PackagingTests {
    /// Runs `make -s ARGUMENTS` in the package root; stdout, with a failure when make fails.
    static func make(_ arguments: [String], timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let make = try #require(Subprocess.which("make"), "make is not installed (apt-get install make)", sourceLocation: sourceLocation)
        var environment = ProcessInfo.processInfo.environment
        // Under `make test` these would make the inner make talk about the outer one.
        for name in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL"] { environment[name] = nil }
        let output = try await Subprocess.run(
            make, ["-s", "--no-print-directory"] + arguments, environment: environment, directory: PackageLayout.root, timeout: timeout)
        let stdout = String(decoding: output.stdout, as: UTF8.self), stderr = String(decoding: output.stderr, as: UTF8.self)
        try #require(output.status == 0 && !output.timedOut,
                     "make \(arguments.joined(separator: " ")) \(output.timedOut ? "timed out" : "failed"): \(stdout.suffix(3000))\(stderr.suffix(3000))",
                     sourceLocation: sourceLocation)
        return stdout
    }

    @Test("make version is what authflow --version prints")
    func makefileAndBinaryAgree() async throws {
        let version = try await Self.make(["version"])
        #expect(version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+~-]*\n/) != nil, "make version printed '\(version)'")
        let run = try await Sandbox().run("--version")
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout == version)
    }
}

/// `make deb`, then `dpkg -i`, the installed files used as a user would, and `dpkg -r`.
///
/// It installs into /usr and builds authflow in release mode (10 minutes or more), so it runs in CI
/// (`CI=true`, where .ci/run runs as root) and, elsewhere, only as root with `AUTHFLOW_TEST_DEB=1`.
/// It builds in `.build-deb-test`, not in the `.build` of the running `swift test`; a second run
/// reuses that build.
@Suite("Debian package")
struct DebianPackageTests {
    static let environment = ProcessInfo.processInfo.environment
    static let runs = environment["CI"] == "true" || (environment["AUTHFLOW_TEST_DEB"] == "1" && getuid() == 0)

    /// Runs `command ARGUMENTS` (a path, or a name looked up on PATH) to completion.
    static func run(_ command: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessOutput {
        let executable = try #require(
            command.hasPrefix("/") ? URL(fileURLWithPath: command) : Subprocess.which(command), "\(command) is not installed", sourceLocation: sourceLocation)
        return try await Subprocess.run(executable, arguments, environment: environment, directory: PackageLayout.root, timeout: .seconds(120))
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test("installs, runs, finds its man page and completions, and uninstalls",
          .enabled(if: runs, "installs a package into /usr: runs in CI (CI=true), or as root with AUTHFLOW_TEST_DEB=1"),
          .timeLimit(.minutes(60)))
    func installAndRemove() async throws {
        let before = try await Self.run("dpkg-query", ["-W", "authflow"])
        try #require(before.status != 0, "an authflow package is already installed; this test would replace and then remove it")

        let built = try await PackagingTests.make(["deb", "SCRATCH=.build-deb-test"], timeout: .seconds(50 * 60))
        let deb = try #require(built.split(separator: "\n").last.map(String.init), "make deb printed no package path")
        let version = try await PackagingTests.make(["version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("/authflow_\(version)_\(Self.text(try await Self.run("dpkg", ["--print-architecture"]).stdout).trimmingCharacters(in: .whitespacesAndNewlines)).deb"))
        try await Self.checkDepends(deb)

        let install = try await Self.run("dpkg", ["-i", deb])
        try #require(install.status == 0, "dpkg -i failed: \(Self.text(install.stderr))")
        var failure: (any Error)?
        do {
            try await Self.checkInstalled(version: version)
        } catch {
            failure = error
        }
        let remove = try await Self.run("dpkg", ["-r", "authflow"])
        #expect(remove.status == 0, "dpkg -r failed: \(Self.text(remove.stderr))")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/authflow"), "dpkg -r left /usr/bin/authflow")
        if let failure { throw failure }
    }

    /// Every shared library the packaged binary loads comes from a package its Depends names.
    static func checkDepends(_ deb: String) async throws {
        let depends = Set(text(try await run("dpkg-deb", ["--field", deb, "Depends"]).stdout)
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(depends.contains("libyaml-0-2"))
        // libsecret is loaded only when the keychain is used: recommended, never required, never linked.
        let recommends = text(try await run("dpkg-deb", ["--field", deb, "Recommends"]).stdout)
        #expect(recommends.contains("libsecret-1-0"), "Recommends: \(recommends)")
        #expect(!depends.contains("libsecret-1-0"))
        let headers = try await run("objdump", ["-p", PackageLayout.root.appendingPathComponent(".build-deb-test/stage/authflow").path])
        let needed = text(headers.stdout).split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count == 2 && fields[0] == "NEEDED" ? String(fields[1]) : nil
        }
        #expect(needed.contains("libyaml-0.so.2"), "objdump -p found no NEEDED libraries: \(text(headers.stderr))")
        #expect(!needed.contains { $0.hasPrefix("libsecret") }, "the binary links libsecret: \(needed)")
        for library in needed {
            let owner = text(try await run("dpkg", ["-S", "*/\(library)"]).stdout)
            let package = owner.split(separator: ":").first.map(String.init) ?? ""
            #expect(depends.contains(package), "\(library) comes from '\(package)', which Depends (\(depends.sorted())) does not name")
        }
    }

    static func checkInstalled(version: String) async throws {
        let run = try await Self.run("/usr/bin/authflow", ["--version"])
        #expect(run.status == 0 && text(run.stdout) == version + "\n", "authflow --version: \(text(run.stdout))\(text(run.stderr))")
        let ldd = try await Self.run("ldd", ["/usr/bin/authflow"])
        #expect(ldd.status == 0 && !text(ldd.stdout).contains("not found"), "ldd: \(text(ldd.stdout))")
        let man = try await Self.run("man", ["-w", "authflow"])
        #expect(man.status == 0 && text(man.stdout) == "/usr/share/man/man1/authflow.1.gz\n", "man -w authflow: \(text(man.stdout))\(text(man.stderr))")
        for (path, marker) in [
            ("/usr/share/bash-completion/completions/authflow", "complete -o filenames -F"),
            ("/usr/share/zsh/vendor-completions/_authflow", "#compdef authflow"),
            ("/usr/share/fish/vendor_completions.d/authflow.fish", "complete -c 'authflow'"),
        ] {
            let script = try String(contentsOfFile: path, encoding: .utf8)
            #expect(script.contains(marker), "\(path) is not authflow's completion script")
        }
    }
}
