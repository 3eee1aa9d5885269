public import Foundation

/// Discovery documents' endpoints, kept in the cache folder for an hour so an `issuer`
/// profile does not fetch its discovery document on every grant.
public struct DiscoveryCache: Sendable {
    struct Entry: Codable {
        var format = "authflow-discovery/1"
        var fetchedAt: Date
        var issuer: String
        var token: String
        var jwks: String?
        var introspection: String?
        var revocation: String?
        var deviceAuthorization: String?
        var authorization: String?
    }

    /// The cache folder.
    public let folder: CacheFolder
    /// How long an entry is used.
    public var ttl: TimeInterval = 3600

    /// A discovery cache in `folder`.
    public init(folder: CacheFolder) { self.folder = folder }

    private func name(_ issuer: URL) -> String {
        CacheKey.fileName("discovery", for: issuer.absoluteString)
    }

    /// The cached endpoints of `issuer`, if fresh.
    public func endpoints(for issuer: URL, now: Date = Date()) -> Endpoints? {
        guard let entry = folder.decoded(Entry.self, from: name(issuer)),
              entry.format == "authflow-discovery/1", entry.issuer == issuer.absoluteString,
              now.timeIntervalSince(entry.fetchedAt) < ttl, now >= entry.fetchedAt, let token = URL(string: entry.token) else { return nil }
        return Endpoints(issuer: issuer, token: token, jwks: entry.jwks.flatMap(URL.init(string:)),
                         introspection: entry.introspection.flatMap(URL.init(string:)), revocation: entry.revocation.flatMap(URL.init(string:)),
                         deviceAuthorization: entry.deviceAuthorization.flatMap(URL.init(string:)), authorization: entry.authorization.flatMap(URL.init(string:)))
    }

    /// Remembers `endpoints` for `issuer`.
    public func store(_ endpoints: Endpoints, for issuer: URL, now: Date = Date()) {
        let entry = Entry(fetchedAt: now, issuer: issuer.absoluteString, token: endpoints.token.absoluteString, jwks: endpoints.jwks?.absoluteString,
                          introspection: endpoints.introspection?.absoluteString, revocation: endpoints.revocation?.absoluteString,
                          deviceAuthorization: endpoints.deviceAuthorization?.absoluteString, authorization: endpoints.authorization?.absoluteString)
        try? folder.write(json: entry, to: name(issuer))
    }
}
