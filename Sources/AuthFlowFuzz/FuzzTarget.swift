public import Foundation

/// One fuzz target: a name (`fuzz/corpus/NAME`, `fuzz/crashes/NAME`) and a check that throws
/// `PropertyViolation` when the code under test breaks one of its promises for this input.
///
/// The fuzzer executable traps on a violation so libFuzzer saves the input; the corpus replay
/// test records it as a failure. Crashes in the code under test crash both, as they should.
public struct FuzzTarget: Sendable {
    /// The target's name.
    public let name: String
    /// Runs one input; throws `PropertyViolation` on a broken property.
    public let check: @Sendable (Data) throws -> Void

    /// Creates a target.
    public init(name: String, check: @escaping @Sendable (Data) throws -> Void) {
        self.name = name
        self.check = check
    }
}

/// The fixed set of fuzz targets.
public enum FuzzTargets {
    /// Every target, by name.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "profile", check: ProfileFuzz.check),
        FuzzTarget(name: "token-response", check: TokenResponseFuzz.check),
        FuzzTarget(name: "jwt", check: JWTFuzz.check),
        FuzzTarget(name: "shell-quoting", check: ShellQuotingFuzz.check),
        FuzzTarget(name: "git-credential", check: GitCredentialFuzz.check),
        FuzzTarget(name: "json", check: JSONFuzz.check),
    ]

    /// The target called `name`, or nil.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// A property the code under test promised and broke for one input.
public struct PropertyViolation: Error, CustomStringConvertible {
    /// What was broken, with the values involved.
    public let description: String

    /// Creates a violation.
    public init(_ description: String) { self.description = description }
}

/// Throws a `PropertyViolation` saying `message` unless `condition` holds.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) throws {
    if !condition() { throw PropertyViolation(message()) }
}

/// A value for a violation message: escaped, so the report itself stays readable.
func shown(_ value: String, limit: Int = 200) -> String {
    String(value.unicodeScalars.prefix(limit).map { $0.escaped(asASCII: true) }.joined())
}

/// Splits `data` at each 0xFF byte (never part of UTF-8 text) into fields.
func fields(_ data: Data, count: Int) -> [Data] {
    var parts: [Data] = []
    var rest = data[...]
    while parts.count < count - 1, let cut = rest.firstIndex(of: 0xFF) {
        parts.append(Data(rest[..<cut]))
        rest = rest[rest.index(after: cut)...]
    }
    parts.append(Data(rest))
    return parts
}

/// UTF-8 decoding as the product does it: invalid sequences become U+FFFD.
func text(_ data: Data) -> String {
    String(decoding: data, as: UTF8.self)
}

/// True when `scalar` is one of the control characters the output checks refuse:
/// C0, DEL, C1, U+2028 and U+2029 (docs/reference/output.md). Written out here, not borrowed from the product.
func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
}

/// True when `text` holds a character a terminal could act on (C0 other than LF, DEL, C1, bidi
/// and other format controls are allowed through only by mistake).
func hasTerminalControl(_ text: String, allowing allowed: Set<Unicode.Scalar> = ["\n"]) -> Bool {
    text.unicodeScalars.contains { scalar in
        !allowed.contains(scalar) && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
    }
}

/// `text` without any occurrence of `pattern`, matched scalar by scalar (a match may end in the
/// middle of a `Character`, e.g. a colour code followed by a combining mark).
func removingScalars(_ pattern: String, from text: String) -> String {
    let scalars = Array(text.unicodeScalars), needle = Array(pattern.unicodeScalars)
    var out = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
        if !needle.isEmpty, index + needle.count <= scalars.count, scalars[index..<(index + needle.count)].elementsEqual(needle) {
            index += needle.count
        } else {
            out.append(scalars[index])
            index += 1
        }
    }
    return String(out)
}

/// True when `needle` occurs as a contiguous run in `haystack` (an empty needle always does).
func containsRun<Element: Equatable>(_ haystack: [Element], _ needle: [Element]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}
