/// The shape a value in a profile file must have. The loader checks files against it, and the
/// JSON Schema for editors is generated from it, so the two cannot drift apart.
public indirect enum SchemaType: Sendable {
    /// Any scalar, read as text (`no`, `on`, `0123` stay strings).
    case string
    /// A whole number in a range.
    case integer(ClosedRange<Int>)
    /// A duration: `500ms`, `10s`, `2m`, `1h`, or whole seconds.
    case duration
    /// A secret reference (`env:`, `file:`, `command:`, `prompt`, `literal:`).
    case secret
    /// Plain text or a secret reference (a username).
    case textOrSecret
    /// A list of strings, or one space-separated string.
    case words
    /// One string or a list of strings.
    case stringOrList
    /// A mapping of strings to strings.
    case stringMap
    /// One of a fixed set of strings.
    case oneOf([String])
    /// A mapping with known keys; any other key is an error.
    case object([SchemaField])
    /// A mapping whose keys are names and whose values all have one shape.
    case namedMap(SchemaType)
    /// Either one of `names` as a shorthand string, or the mapping `object`.
    case shorthand(names: [String], object: [SchemaField])
}

/// One key of an object in the schema.
public struct SchemaField: Sendable {
    /// The key.
    public var name: String
    /// Its shape.
    public var type: SchemaType
    /// What it means, for hints and the JSON Schema's descriptions.
    public var summary: String
    /// Whether the key must be present in the object itself (not only after merging).
    public var required: Bool
    /// Longer Markdown for editors' hover text; the summary when nil.
    public var documentation: String?
    /// Example values editors show.
    public var examples: [JSONValue]
    /// The value used when the key is absent, for editors.
    public var defaultValue: JSONValue?
    /// Values editors offer for a free-form string (`auth_server`: org, default); others stay valid.
    public var suggestions: [String]
    /// For a `namedMap`: the pattern every key matches (an ECMA/Python-compatible regex).
    public var keyPattern: String?
    /// For a `namedMap`: the fewest entries it may hold.
    public var minEntries: Int

    /// Creates a field; the editor metadata is optional.
    public init(_ name: String, _ type: SchemaType, _ summary: String, required: Bool = false,
                documentation: String? = nil, examples: [JSONValue] = [], defaultValue: JSONValue? = nil,
                suggestions: [String] = [], keyPattern: String? = nil, minEntries: Int = 0) {
        self.name = name
        self.type = type
        self.summary = summary
        self.required = required
        self.documentation = documentation
        self.examples = examples
        self.defaultValue = defaultValue
        self.suggestions = suggestions
        self.keyPattern = keyPattern
        self.minEntries = minEntries
    }
}
