/// A 1-based position in a source file.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// One YAML node with the place it came from. Nothing is resolved to Bool or Int here:
/// a scalar keeps its text and style, so a string field reads `no` or `0123` as written.
public struct YAMLNode: Sendable {
    /// How a scalar was written.
    public enum ScalarStyle: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// A key and its value in a mapping, in file order.
    public struct Pair: Sendable {
        /// The key node.
        public var key: YAMLNode
        /// The value node.
        public var value: YAMLNode
    }

    /// The node's content.
    public enum Value: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    /// The content.
    public var value: Value
    /// Where the node starts.
    public var location: SourceLocation
    /// An explicit tag such as `tag:yaml.org,2002:str`, when one was written.
    public var tag: String?

    /// Creates a node.
    public init(_ value: Value, at location: SourceLocation, tag: String? = nil) {
        self.value = value
        self.location = location
        self.tag = tag
    }

    /// The scalar's text, whatever its style.
    public var scalar: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    /// The mapping's pairs.
    public var pairs: [Pair]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    /// The sequence's items.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// True for an unquoted `~`, `null` or empty value (YAML 1.2 core schema).
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = value, tag == nil else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The value of `key` in a mapping, if present.
    public subscript(key: String) -> YAMLNode? {
        pairs?.last(where: { $0.key.scalar == key })?.value
    }

    /// How the node reads in a message: "a mapping", "a list", "null", "a string".
    public var kindName: String {
        switch value {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: isNull ? "null" : "a string"
        }
    }
}
