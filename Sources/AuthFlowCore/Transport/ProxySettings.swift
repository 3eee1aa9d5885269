import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, read the way curl and Go read them.
enum ProxySettings {
    /// A proxy to use, and how to name it in messages (`HTTPS_PROXY=http://proxy:3128`, credentials redacted).
    struct Choice {
        let proxy: HTTPClient.Configuration.Proxy
        let shown: String
    }

    /// The proxy for `scheme` (`https`: `HTTPS_PROXY`/`https_proxy`; `http`: `HTTP_PROXY`/`http_proxy`):
    /// nil when unset, an error when the value cannot be used (a proxy is never silently skipped).
    static func proxy(forScheme scheme: String, environment: [String: String]) -> Result<Choice, AuthFlowError>? {
        let names = scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let (name, value) = names.lazy.compactMap({ name in environment[name].map { (name, $0) } }).first(where: { !$0.1.isEmpty }) else { return nil }
        let shown = "\(name)=\(redacted(value).sanitizedForTerminal(limit: 120))"
        let text = value.contains("://") ? value : "http://\(value)"
        guard let url = URL(string: text), let host = url.host, !host.isEmpty, let proxyScheme = url.scheme?.lowercased() else {
            return .failure(AuthFlowError(.usage, "\(shown) is not a proxy URL", hint: "write it as http://HOST:PORT (or socks5://HOST:PORT)"))
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        switch proxyScheme {
        case "http":
            let port = url.port ?? 80
            if let user = url.user {
                return .success(Choice(proxy: .server(host: bare, port: port, authorization: .basic(username: user.removingPercentEncoding ?? user,
                                                                                                  password: url.password?.removingPercentEncoding ?? "")),
                                       shown: shown))
            }
            return .success(Choice(proxy: .server(host: bare, port: port), shown: shown))
        case "socks5", "socks5h":
            return .success(Choice(proxy: .socksServer(host: bare, port: url.port ?? 1080), shown: shown))
        default:
            return .failure(AuthFlowError(.usage, "\(shown): a \(proxyScheme):// proxy is not supported",
                                          hint: "use an http:// proxy (HTTPS is tunnelled through it with CONNECT) or socks5://"))
        }
    }

    /// True when `host`:`port` is reached directly: always for this machine (`localhost`,
    /// 127.0.0.0/8, `::1`, as Go's HTTP client does — a proxy elsewhere would reach its own
    /// loopback, not ours), else when `NO_PROXY` says so.
    static func direct(host: String, port: Int, environment: [String: String]) -> Bool {
        URL.isLoopback(host: host) || bypasses(host: host, port: port, environment: environment)
    }

    /// True when `NO_PROXY` (or `no_proxy`) says to reach `host`:`port` directly. Entries are separated
    /// by commas or spaces and compared case-insensitively: `*` (everything), a host name (itself and
    /// its subdomains; a leading `.` or `*.` means the same), an IP address, an IP range in CIDR
    /// form (`10.0.0.0/8`, `fd00::/8`), each optionally with `:PORT` (`[::1]:8443` for IPv6).
    static func bypasses(host: String, port: Int, environment: [String: String]) -> Bool {
        guard let value = ["no_proxy", "NO_PROXY"].compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return false }
        let target = normalized(host)
        let separators = CharacterSet(charactersIn: ", \t")
        for raw in value.components(separatedBy: separators) where !raw.isEmpty {
            let (entry, entryPort) = splitPort(raw.lowercased())
            if let entryPort, entryPort != port { continue }
            if entry == "*" { return true }
            if entry.contains("/") {
                if matches(address: target, cidr: entry) { return true }
                continue
            }
            var name = normalized(entry)
            if name.hasPrefix("*.") { name.removeFirst(2) } else if name.hasPrefix(".") { name.removeFirst() }
            guard !name.isEmpty else { continue }
            if let literal = address(target) {
                if literal == address(name) { return true }
            } else if target == name || target.hasSuffix("." + name) {
                return true
            }
        }
        return false
    }

    /// The proxy value without its credentials (`http://user:pass@host` → `http://<redacted>@host`).
    static func redacted(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return value }
        let start = value.range(of: "://").map(\.upperBound) ?? value.startIndex
        guard start <= at else { return value }
        return value.replacingCharacters(in: start..<at, with: "<redacted>")
    }

    /// Lower case, no IPv6 brackets, no trailing dot.
    private static func normalized(_ host: String) -> String {
        var text = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `name:443` → (`name`, 443); `[::1]:443` → (`::1`, 443); a bare IPv6 address keeps its colons.
    private static func splitPort(_ entry: String) -> (String, Int?) {
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            let inside = String(entry[entry.index(after: entry.startIndex)..<close])
            let rest = entry[entry.index(after: close)...]
            return (inside, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let colons = entry.filter { $0 == ":" }.count
        if colons == 1, let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]) {
            return (String(entry[..<colon]), port)
        }
        return (entry, nil)
    }

    /// The bytes of an IPv4 or IPv6 literal, or nil for a name.
    private static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Is `address` (a literal) inside `cidr` (`10.0.0.0/8`)?
    private static func matches(address text: String, cidr: String) -> Bool {
        let parts = cidr.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bits = Int(parts[1]), let network = address(normalized(String(parts[0]))),
              let candidate = address(text), candidate.count == network.count, (0...network.count * 8).contains(bits) else { return false }
        for index in 0..<network.count {
            let remaining = bits - index * 8
            if remaining <= 0 { break }
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if candidate[index] & mask != network[index] & mask { return false }
        }
        return true
    }
}
