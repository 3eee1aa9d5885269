// swift-tools-version: 6.0
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "authflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "authflow", targets: ["authflow"]),
        .library(name: "AuthFlowCore", targets: ["AuthFlowCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Variadic and glibc-extension system calls Swift cannot call directly (prctl, posix_spawn's closefrom).
        .systemLibrary(name: "CAuthFlowSystem"),
        .target(
            name: "AuthFlowCore",
            dependencies: [
                "CYAML",
                "CAuthFlowSystem",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "AuthFlowServer",
            dependencies: [
                "AuthFlowCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "authflow",
            dependencies: [
                "AuthFlowCore",
                "AuthFlowServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming,
            // --static-swift-stdlib links with -export-dynamic, which puts every public symbol of
            // every module (47,000) in the dynamic symbol table; the runtime's start-up dladdr scans
            // all of them and the loader pages them in, a third of a cached call's start-up. Nothing
            // looks our symbols up by name, so keep them out.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))]
        ),
        // Fuzz targets: one check per input, shared by the libFuzzer executable and the corpus replay tests.
        .target(name: "AuthFlowFuzz", dependencies: ["AuthFlowCore"], swiftSettings: upcoming),
        .testTarget(name: "AuthFlowFuzzTests", dependencies: ["AuthFlowFuzz"], swiftSettings: upcoming),
        .testTarget(name: "AuthFlowCoreTests", dependencies: ["AuthFlowCore", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "_CryptoExtras", package: "swift-crypto")], resources: [.copy("Fixtures")], swiftSettings: upcoming),
        .testTarget(
            name: "AuthFlowServerTests",
            dependencies: [
                "AuthFlowServer", "AuthFlowCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        // The command line's own grammar (global options, completion, exit codes), tested in process.
        .testTarget(name: "AuthFlowCLITests", dependencies: ["authflow"], swiftSettings: upcoming),
        .testTarget(name: "EndToEndTests", dependencies: ["AuthFlowCore", .product(name: "Crypto", package: "swift-crypto")], resources: [.copy("Servers")], swiftSettings: upcoming),
    ]
)

// The libFuzzer executable exists only for fuzz/run.sh, which builds with AUTHFLOW_FUZZ=1 and
// -sanitize=fuzzer,address in its own scratch path; a plain `swift build` never sees it.
if Context.environment["AUTHFLOW_FUZZ"] == "1" {
    package.targets.append(.executableTarget(
        name: "AuthFlowFuzzer",
        dependencies: ["AuthFlowFuzz"],
        path: "fuzz/Driver",
        swiftSettings: upcoming + [.enableExperimentalFeature("Extern")]
    ))
}
