/// Independent readers of one assignment line per dialect, written from each shell's quoting
/// rules (not from authflow's writers). Each returns the variable name and the value the shell
/// would assign, or nil when the line is not a plain assignment of a literal: anything that
/// would expand, run, continue onto another line or end the word early is nil.
enum ShellEvaluators {
    /// POSIX sh (bash, zsh, dash): `export NAME=WORD`, where WORD may mix single-quoted runs
    /// (no escapes at all inside), backslash-escaped characters and plain safe characters.
    static func sh(_ line: String) -> (name: String, value: String)? {
        guard let (name, word) = split(line, prefix: "export ", separator: "=") else { return nil }
        var value = String.UnicodeScalarView()
        var scalars = word.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "'":
                guard let close = scalars.firstIndex(of: "'") else { return nil }
                value.append(contentsOf: scalars[..<close])
                scalars = scalars[scalars.index(after: close)...]
            case "\\":
                // A backslash-newline is a line continuation, not a character.
                guard let next = scalars.popFirst(), next != "\n" else { return nil }
                value.append(next)
            default:
                guard isPlainWordCharacter(scalar) else { return nil }
                value.append(scalar)
            }
        }
        return (name, String(value))
    }

    /// fish: `set -gx NAME WORD`; inside single quotes only `\'` and `\\` are escapes, a
    /// backslash before anything else stays a backslash.
    static func fish(_ line: String) -> (name: String, value: String)? {
        guard let (name, word) = split(line, prefix: "set -gx ", separator: " ") else { return nil }
        var value = String.UnicodeScalarView()
        var scalars = word.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "'":
                var closed = false
                while let inner = scalars.popFirst() {
                    if inner == "'" { closed = true; break }
                    if inner == "\\", let next = scalars.first, next == "'" || next == "\\" {
                        value.append(next)
                        scalars = scalars.dropFirst()
                    } else {
                        value.append(inner)
                    }
                }
                guard closed else { return nil }
            default:
                guard isPlainWordCharacter(scalar) else { return nil }
                value.append(scalar)
            }
        }
        return (name, String(value))
    }

    /// PowerShell: `$Env:NAME = 'verbatim'`. Any of U+0027 and U+2018–U+201B opens and closes a
    /// verbatim string; two quote characters in a row inside it stand for the second one
    /// (PowerShell's tokenizer, `ScanStringLiteral`).
    static func powerShell(_ line: String) -> (name: String, value: String)? {
        guard let (name, word) = split(line, prefix: "$Env:", separator: " = ") else { return nil }
        var scalars = word.unicodeScalars[...]
        guard let open = scalars.popFirst(), isPowerShellQuote(open) else { return nil }
        var value = String.UnicodeScalarView()
        while let scalar = scalars.popFirst() {
            if isPowerShellQuote(scalar) {
                guard let next = scalars.first, isPowerShellQuote(next) else {
                    // The closing quote must end the line.
                    return scalars.isEmpty ? (name, String(value)) : nil
                }
                value.append(next)
                scalars = scalars.dropFirst()
            } else {
                value.append(scalar)
            }
        }
        return nil
    }

    /// dotenv: `NAME='value'`, single quotes with no escapes; the value may hold no quote,
    /// backslash or line break because dotenv parsers disagree about all three.
    static func dotenv(_ line: String) -> (name: String, value: String)? {
        guard let (name, word) = split(line, prefix: "", separator: "=") else { return nil }
        let scalars = word.unicodeScalars
        guard scalars.count >= 2, scalars.first == "'", scalars.last == "'" else { return nil }
        let inner = scalars.dropFirst().dropLast()
        guard !inner.contains(where: { $0 == "'" || $0 == "\\" || $0 == "\n" || $0 == "\r" }) else { return nil }
        return (name, String(String.UnicodeScalarView(inner)))
    }

    static func isPowerShellQuote(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || (0x2018...0x201B).contains(scalar.value)
    }

    /// Characters no shell here treats specially outside quotes.
    static func isPlainWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "_-.,/:+".unicodeScalars.contains(scalar)
    }

    /// `PREFIX NAME SEPARATOR rest`, with NAME a valid variable name.
    static func split(_ line: String, prefix: String, separator: String) -> (String, String)? {
        guard line.unicodeScalars.starts(with: prefix.unicodeScalars) else { return nil }
        let rest = line.unicodeScalars.dropFirst(prefix.unicodeScalars.count)
        let name = rest.prefix { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard let first = name.first, !("0"..."9").contains(first) else { return nil }
        let after = String(String.UnicodeScalarView(rest.dropFirst(name.count)))
        guard after.unicodeScalars.starts(with: separator.unicodeScalars) else { return nil }
        return (String(String.UnicodeScalarView(name)), String(String.UnicodeScalarView(after.unicodeScalars.dropFirst(separator.unicodeScalars.count))))
    }
}
