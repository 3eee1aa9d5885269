/// Expands `${VAR}` and `${VAR:-default}` in plain strings (`$${` is a literal `${`).
struct VariableExpander: Sendable {
    /// The environment, or nil to only check syntax (values with variables are then unknown).
    let environment: [String: String]?

    enum Outcome {
        /// The expanded text.
        case text(String)
        /// Checking only, and the text has variables: its value is known at run time.
        case deferred
        /// A syntax error or an unset variable.
        case failure(String, hint: String)
    }

    func expand(_ input: String) -> Outcome {
        var names: [String] = []
        return expand(input, naming: &names)
    }

    /// The names of the variables `input` refers to, in order (what an untrusted file would read).
    static func names(in input: String) -> [String] {
        var names: [String] = []
        _ = VariableExpander(environment: nil).expand(input, naming: &names)
        return names
    }

    /// Expands `input`, appending each variable name it refers to to `names`.
    private func expand(_ input: String, naming names: inout [String]) -> Outcome {
        guard input.contains("$") else { return .text(input) }
        var out = ""
        var hasVariables = false
        var rest = Substring(input)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("${") {
                out += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{") else {
                out += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else {
                return .failure("'${' without a closing '}' in '\(input)'", hint: "write ${NAME}, or $${ for a literal '${'")
            }
            let body = after[after.index(after: after.startIndex)..<close]
            let name: Substring
            let fallback: Substring?
            if let range = body.range(of: ":-") {
                name = body[..<range.lowerBound]
                fallback = body[range.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard String(name).isValidVariableName else {
                return .failure("'${\(body)}' is not a valid variable reference", hint: "names are letters, digits and '_'; a default is written ${NAME:-value}")
            }
            hasVariables = true
            names.append(String(name))
            if let environment {
                if let value = environment[String(name)], !value.isEmpty {
                    out += value
                } else if let fallback {
                    out += fallback
                } else {
                    return .failure("environment variable \(name) is not set", hint: "export \(name)=..., or give a default: ${\(name):-value}")
                }
            }
            rest = after[after.index(after: close)...]
        }
        out += rest
        return hasVariables && environment == nil ? .deferred : .text(out)
    }
}
