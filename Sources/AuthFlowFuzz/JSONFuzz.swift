import AuthFlowCore
import Foundation

/// The strict JSON reader (`JSONValue.parse(bytes:)`) that reads cache entries and profile-index
/// records on the cached path, where `JSONDecoder` used to.
///
/// Input: any bytes.
///
/// Properties: never a crash, whatever the nesting; whatever it accepts, Foundation's
/// `JSONDecoder` accepts too, as the same value (it is the stricter of the two, never the looser);
/// and an accepted value, serialized by `JSONValue.serialized`, reads back as the same value.
enum JSONFuzz {
    static func check(_ data: Data) throws {
        guard let value = JSONValue.parse(bytes: data) else { return }
        let foundation = try? JSONDecoder().decode(JSONValue.self, from: data)
        try require(foundation != nil, "accepted what JSONDecoder refuses: \(shown(String(decoding: data, as: UTF8.self)))")
        try require(foundation == value, "read \(shown(value.serialized())) where JSONDecoder reads \(shown(foundation?.serialized() ?? "-"))")
        let text = value.serialized()
        try require(JSONValue.parse(bytes: Array(text.utf8)) == value, "\(shown(text)) does not read back as itself")
    }
}
