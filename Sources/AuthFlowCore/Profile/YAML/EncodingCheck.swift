/// Profile files are UTF-8, and only UTF-8. YAML also allows UTF-16 and UTF-32, but a second
/// encoding means a second reading of the same bytes: what a user trusted (a fingerprint of the
/// bytes) and what the loader parses must be one text, so anything else is refused up front.
enum EncodingCheck {
    /// The first reason `bytes` are not a UTF-8 profile file, placed at its line and column; nil when they are.
    static func problem(in bytes: [UInt8], file: String) -> Diagnostic? {
        if let encoding = wideEncoding(bytes) {
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                              "the file is \(encoding); authflow reads profile files in UTF-8 only",
                              hint: "convert it: iconv -f \(encoding) -t UTF-8 FILE > FILE.new && mv FILE.new FILE")
        }
        var index = 0, line = 1, lineStart = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
            }
            guard let length = sequenceLength(bytes, at: index) else {
                let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
                return Diagnostic(at: SourceLocation(file: file, line: line, column: column),
                                  "the file is not valid UTF-8: byte 0x\(String(byte, radix: 16, uppercase: true)) here",
                                  hint: "save the file as UTF-8; authflow reads profile files in UTF-8 only")
            }
            index += length
        }
        return nil
    }

    /// "UTF-16" or "UTF-32" when the bytes start the way those encodings of YAML do (a byte order
    /// mark, or the zero bytes of an ASCII first character); nil otherwise.
    static func wideEncoding(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4)) + [UInt8](repeating: 0xAA, count: max(0, 4 - bytes.count))
        if head == [0x00, 0x00, 0xFE, 0xFF] || head == [0xFF, 0xFE, 0x00, 0x00] { return "UTF-32" }
        if head[0] == 0x00, head[1] == 0x00, head[2] == 0x00, head[3] != 0x00 { return "UTF-32" }
        if head[0] != 0x00, head[1] == 0x00, head[2] == 0x00, head[3] == 0x00 { return "UTF-32" }
        if head[0] == 0xFE && head[1] == 0xFF || head[0] == 0xFF && head[1] == 0xFE { return "UTF-16" }
        if bytes.count >= 2, head[0] == 0x00 || head[1] == 0x00 { return "UTF-16" }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629: no overlong forms,
    /// no surrogates, nothing past U+10FFFF); nil when it is not one.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let first = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }
}
