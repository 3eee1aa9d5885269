import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Direct HTTP to the test servers (admin API, tokens fetched behind authflow's back).
enum LoopbackHTTP {
    enum Method: String { case get = "GET", post = "POST" }

    struct UnexpectedStatus: Error, CustomStringConvertible {
        let description: String
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]  // loopback only, never through a proxy
        configuration.timeoutIntervalForRequest = 15
        return URLSession(configuration: configuration)
    }()

    /// Sends one request and returns the body; a status other than `expect` throws.
    static func send(_ method: Method, _ url: URL, body: Data? = nil, contentType: String? = nil, expect: Int) async throws -> Data {
        var request = URLRequest(url: url)
        request.httpMethod = method.rawValue
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? -1
        guard status == expect else {
            throw UnexpectedStatus(description: "\(method.rawValue) \(url) answered \(status), not \(expect): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// `application/x-www-form-urlencoded` (space as `+`, everything but `*-._` and alphanumerics escaped).
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "*-._ ")
        return (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value).replacingOccurrences(of: " ", with: "+")
    }

    static func formBody(_ fields: KeyValuePairs<String, String>) -> Data {
        Data(fields.map { "\(formEncode($0.key))=\(formEncode($0.value))" }.joined(separator: "&").utf8)
    }
}

extension AuthorizationServerProcess {
    /// A refresh token from a password grant with `offline_access` at authorization server `id`,
    /// obtained directly (client_secret_post), not through authflow.
    func refreshToken(authServer id: String) async throws -> String {
        let body = LoopbackHTTP.formBody([
            "grant_type": "password", "username": fixture.username, "password": fixture.password,
            "scope": "openid offline_access", "client_id": fixture.clientID, "client_secret": fixture.clientSecret,
        ])
        let url = try #require(URL(string: base + tokenPath(id)))
        let data = try await LoopbackHTTP.send(.post, url, body: body, contentType: "application/x-www-form-urlencoded", expect: 200)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["refresh_token"] as? String, "no refresh_token in \(json)")
    }
}

/// The RFC 6749 §2.3.1 `Authorization: Basic` value for a client id and secret.
func basicCredentials(_ id: String, _ secret: String) -> String {
    "Basic " + Data("\(LoopbackHTTP.formEncode(id)):\(LoopbackHTTP.formEncode(secret))".utf8).base64EncodedString()
}

/// A loopback TCP port nothing listens on (bound, then closed).
func closedLoopbackPort() throws -> Int {
    #if canImport(Glibc)
    let stream = Int32(SOCK_STREAM.rawValue)
    #else
    let stream = SOCK_STREAM
    #endif
    let fd = socket(AF_INET, stream, 0)
    try #require(fd >= 0, "socket() failed")
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    try #require(bound, "cannot bind a loopback port")
    return Int(UInt16(bigEndian: address.sin_port))
}
