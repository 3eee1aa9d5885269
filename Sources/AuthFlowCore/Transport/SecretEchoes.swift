import Foundation

extension Secret {
    /// Every spelling of this secret that a request carries and a server may echo back: as is,
    /// form-encoded (`+` for space), percent-encoded (RFC 3986, either case of hex digit).
    /// Scrubbers replace each of them, longest first.
    var echoForms: [String] {
        let value = reveal()
        guard !value.isEmpty else { return [] }
        let percent = value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? value
        var forms: [String] = []
        for form in [value, FormEncoding.encode(value), percent, Self.lowercasingHex(percent)] where !forms.contains(form) {
            forms.append(form)
        }
        return forms
    }

    /// `text` with every echo form of every secret (and each form as `cleaned` changes it)
    /// replaced by `<redacted>`, on Unicode scalars, longest form first so no part of a longer
    /// form survives a shorter one's replacement.
    static func scrub(_ text: String, _ secrets: [Secret], cleaned: (String) -> String) -> String {
        var scrubbed = text
        for form in echoForms(of: secrets, cleaned: cleaned) {
            scrubbed = scrubbed.replacingScalarOccurrences(of: form, with: "<redacted>")
        }
        return scrubbed
    }

    /// Every echo form of `secrets`, each also as `cleaned` changes it, without empty ones, longest first.
    static func echoForms(of secrets: [Secret], cleaned: (String) -> String = { $0 }) -> [String] {
        var forms = Set<String>()
        for secret in secrets {
            for form in secret.echoForms {
                forms.insert(form)
                forms.insert(cleaned(form))
            }
        }
        forms.remove("")
        return forms.sorted { ($0.unicodeScalars.count, $0) > ($1.unicodeScalars.count, $1) }
    }

    /// Letters, digits and `-._~`.
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// `%2F` as `%2f`: servers normalise percent-encoding either way.
    private static func lowercasingHex(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let digits = rest[rest.index(after: percent)...].prefix(2)
            out += "%" + digits.lowercased()
            rest = rest[rest.index(percent, offsetBy: 1 + digits.count)...]
        }
        return out + rest
    }
}

extension TransportRequest {
    /// The credentials of `Authorization` headers (the base64 of a Basic pair, a bearer token):
    /// secrets in their own right, since a server can echo the header as it was sent.
    static func headerCredentials(_ headers: [(name: String, value: String)]) -> [Secret] {
        headers.compactMap { header in
            guard header.name.caseInsensitiveCompare("Authorization") == .orderedSame,
                  let space = header.value.firstIndex(of: " ") else { return nil }
            let credential = header.value[header.value.index(after: space)...].trimmingCharacters(in: .whitespaces)
            return credential.isEmpty ? nil : Secret(credential)
        }
    }
}
