internal import CYAML
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one YAML document through libyaml's event parser into located nodes.
///
/// Limits keep hostile input bounded: the input size, the nesting depth, and the number of
/// nodes after alias expansion (an "alias bomb" is refused, never expanded).
public struct YAMLLoader: Sendable {
    /// Limits on what the loader accepts.
    public struct Limits: Sendable {
        /// Largest input in bytes.
        public var maxBytes = 1 << 20
        /// Deepest nesting of sequences and mappings.
        public var maxDepth = 64
        /// Most nodes in the document, counting every alias expansion.
        public var maxNodes = 100_000
        /// The default limits.
        public init() {}
    }

    /// The limits in force.
    public var limits: Limits

    /// A loader with `limits`.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Loads the file at `path`; `displayName` is what messages call it.
    public func load(contentsOf path: String, displayName: String? = nil) throws -> (root: YAMLNode?, source: String) {
        try parse(bytes(contentsOf: path, displayName: displayName), file: displayName ?? path)
    }

    /// The bytes of the regular file at `path`, within the size limit; `displayName` is what messages call it.
    public func bytes(contentsOf path: String, displayName: String? = nil) throws -> [UInt8] {
        let name = displayName ?? path
        // stat and read(2) directly: FileManager's attribute dictionary costs more than the parse.
        // O_NONBLOCK: opening a FIFO someone put in the file's place must not hang; regular files ignore it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw AuthFlowError(.noInput, "cannot read \(name): \(String(cString: strerror(errno)))", hint: "check the path and its permissions")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw AuthFlowError(.noInput, "cannot read \(name): not a regular file", hint: "name the profile file itself, not a folder")
        }
        if Int(info.st_size) > limits.maxBytes {
            throw AuthFlowError(.invalidProfile, "\(name) is \(info.st_size) bytes; the limit is \(limits.maxBytes)", hint: "a profile file is a few kilobytes; check that this is the right file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + count }, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else {
                throw AuthFlowError(.noInput, "cannot read \(name): \(String(cString: strerror(errno)))", hint: "check the path and its permissions")
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Parses `bytes` as the contents of `file`.
    public func parse(_ bytes: [UInt8], file: String) throws -> (root: YAMLNode?, source: String) {
        let source = String(decoding: bytes, as: UTF8.self)
        guard bytes.count <= limits.maxBytes else {
            throw AuthFlowError(.invalidProfile, "\(file) is \(bytes.count) bytes; the limit is \(limits.maxBytes)", hint: "a profile file is a few kilobytes; check that this is the right file")
        }
        if let problem = EncodingCheck.problem(in: bytes, file: file) {
            throw DiagnosticsError([problem], source: source)
        }
        var builder = TreeBuilder(file: file, limits: limits)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                try builder.run(buffer)
            }
        } catch let failure as TreeBuilder.Failure {
            throw DiagnosticsError([failure.diagnostic], source: source)
        }
        return (builder.root, source)
    }
}

/// Turns libyaml events into a `YAMLNode` tree.
private struct TreeBuilder {
    struct Failure: Error { let diagnostic: Diagnostic }

    /// A collection whose end event has not come yet.
    struct Open {
        var node: YAMLNode
        var anchor: String?
        var isMapping: Bool
        var items: [YAMLNode] = []
        var size = 0
    }

    let file: String
    let limits: YAMLLoader.Limits
    var root: YAMLNode?
    var stack: [Open] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var nodeCount = 0
    var documents = 0

    init(file: String, limits: YAMLLoader.Limits) {
        self.file = file
        self.limits = limits
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func fail(_ mark: yaml_mark_t, _ message: String, hint: String? = nil) -> Failure {
        Failure(diagnostic: Diagnostic(at: location(mark), message, hint: hint))
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw AuthFlowError(.internalError, "libyaml could not start")
        }
        defer { yaml_parser_delete(&parser) }
        // Never let libyaml guess the encoding from a byte order mark: the bytes authflow checks
        // (trust, the profile index) must be read as exactly these characters.
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        if let base = buffer.baseAddress {
            yaml_parser_set_input_string(&parser, base, buffer.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw syntaxError(parser)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            try handle(event)
        }
    }

    func syntaxError(_ parser: yaml_parser_t) -> Failure {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = "YAML syntax error: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        }
        return fail(parser.problem_mark, message, hint: "check the indentation and quoting around this spot; quote values that contain ': ' or start with a special character")
    }

    mutating func handle(_ event: yaml_event_t) throws {
        let start = event.start_mark
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw fail(start, "a profile file holds one YAML document; found a second '---'", hint: "remove the '---' line or split the file")
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let style: YAMLNode.ScalarStyle = switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: .literal
            case YAML_FOLDED_SCALAR_STYLE: .folded
            default: .plain
            }
            let tag = scalar.tag.map { String(cString: $0) }
            let node = YAMLNode(.scalar(text, style), at: location(start), tag: tag)
            try add(node, size: 1, new: 1, anchor: scalar.anchor.map { String(cString: $0) }, at: start)
        case YAML_SEQUENCE_START_EVENT:
            try open(start)
            let node = YAMLNode(.sequence([]), at: location(start), tag: event.data.sequence_start.tag.map { String(cString: $0) })
            stack.append(Open(node: node, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }, isMapping: false))
        case YAML_MAPPING_START_EVENT:
            try open(start)
            let node = YAMLNode(.mapping([]), at: location(start), tag: event.data.mapping_start.tag.map { String(cString: $0) })
            stack.append(Open(node: node, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }, isMapping: true))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard var top = stack.popLast() else { return }
            if top.isMapping {
                var pairs: [YAMLNode.Pair] = []
                pairs.reserveCapacity(top.items.count / 2)
                var index = 0
                while index + 1 < top.items.count {
                    pairs.append(YAMLNode.Pair(key: top.items[index], value: top.items[index + 1]))
                    index += 2
                }
                top.node.value = .mapping(pairs)
            } else {
                top.node.value = .sequence(top.items)
            }
            // Its items were counted as they came; the collection itself is one more node.
            try add(top.node, size: top.size + 1, new: 1, anchor: top.anchor, at: start)
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let target = anchors[name] else {
                throw fail(start, "unknown alias '*\(name)'", hint: "define the anchor '&\(name)' before it is used")
            }
            var node = target.node
            node.location = location(start)
            try add(node, size: target.size, new: target.size, anchor: nil, at: start)
        default:
            break
        }
    }

    mutating func open(_ mark: yaml_mark_t) throws {
        if stack.count >= limits.maxDepth {
            throw fail(mark, "nesting deeper than \(limits.maxDepth) levels", hint: "a profile file needs only a few levels; this looks like hostile or generated input")
        }
    }

    /// Adds `node`, which stands for `size` nodes in all (its items included), `new` of them not
    /// counted yet: one for a scalar or a finished collection, the whole copy for an alias.
    mutating func add(_ node: YAMLNode, size: Int, new: Int, anchor: String?, at mark: yaml_mark_t) throws {
        nodeCount += new
        if nodeCount > limits.maxNodes {
            throw fail(mark, "the document expands to more than \(limits.maxNodes) nodes", hint: "aliases ('*name') that repeat large anchors multiply; this looks like an alias bomb")
        }
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        stack[stack.count - 1].items.append(node)
        stack[stack.count - 1].size += size
    }
}
