// The libFuzzer executable. Built only by fuzz/run.sh (AUTHFLOW_FUZZ=1 adds this target to the
// package, and -sanitize=fuzzer links libFuzzer), never by `swift build` or `make test`.
//
// SwiftPM links an executable with `main` aliased to `<module>_main`, so instead of libFuzzer's
// own `main` this file provides that symbol and hands control to libFuzzer's driver.
import AuthFlowFuzz
import Foundation

@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target this process fuzzes, from `--target=NAME` (libFuzzer ignores `--` flags and
/// passes them on to the processes it forks) or `$AUTHFLOW_FUZZ_TARGET`.
nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let target = selected else { return 0 }
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        try target.check(data)
    } catch {
        // A broken property is a crash as far as libFuzzer is concerned: it saves the input.
        FileHandle.standardError.write(Data("authflow-fuzz: \(target.name): property violated: \(error)\n".utf8))
        abort()
    }
    return 0
}

@_cdecl("AuthFlowFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let arguments = CommandLine.arguments
    let name = arguments.first { $0.hasPrefix("--target=") }.map { String($0.dropFirst("--target=".count)) }
        ?? ProcessInfo.processInfo.environment["AUTHFLOW_FUZZ_TARGET"]
    guard let name, let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(Data("usage: AuthFlowFuzzer --target=NAME [libFuzzer options] [corpus...]; targets: \(FuzzTargets.all.map(\.name).joined(separator: ", "))\n".utf8))
        return 64
    }
    selected = target
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, fuzzOne)
}
