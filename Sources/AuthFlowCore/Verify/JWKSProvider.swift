public import Foundation

/// An issuer's signing keys from its `jwks_uri` only: cached for `ttl`, and refetched once when a
/// token names a `kid` the cached set lacks (key rotation) — at most once per `refetchInterval`,
/// so a stream of made-up `kid`s cannot turn authflow into a load generator against the issuer.
public struct JWKSProvider: Sendable {
    /// What a key lookup found.
    public enum Lookup: Sendable {
        /// The key, as the JWKS's JSON object.
        case found([String: JSONValue])
        /// No usable key; the reason names the `kid` and whether the set was refetched.
        case missing(String)
    }

    /// The issuer the keys belong to; the cache is kept per issuer.
    public let issuer: String
    /// The issuer's `jwks_uri`.
    public let url: URL
    /// Where requests go.
    public let transport: any HTTPTransport
    /// Where key sets are kept between runs; nil fetches every time.
    public let cache: JWKSCache?
    /// How long a fetched set is used without asking again.
    public var ttl: TimeInterval = 3600
    /// The least time between two fetches for an unknown `kid`.
    public var refetchInterval: TimeInterval = 60
    /// The clock.
    public var now: @Sendable () -> Date

    /// A provider for `issuer`'s keys at `url`.
    public init(issuer: String, url: URL, transport: any HTTPTransport, cache: JWKSCache?, now: @escaping @Sendable () -> Date = Date.init) {
        self.issuer = issuer
        self.url = url
        self.transport = transport
        self.cache = cache
        self.now = now
    }

    /// The key for `kid` and `alg` (or, for a token without a `kid`, the set's only key for `alg`), fetching as the rules above say.
    public func key(for kid: String?, alg: String) async throws -> Lookup {
        let cached = cache?.keySet(issuer: issuer, url: url)
        let age = cached.map { now().timeIntervalSince($0.fetchedAt) }
        var set: KeySet
        var fetched = false
        if let cached, let age, age >= 0, age < ttl {
            set = cached
        } else {
            set = try await fetch()
            fetched = true
        }
        if let key = Self.select(kid, alg: alg, in: set) { return .found(key) }
        guard let kid else { return .missing(Self.noKeyID(alg: alg, in: set)) }
        let name = "'\(TokenClaims.shown(kid, limit: 64))'"
        if fetched { return .missing("the issuer's JWKS has no key \(name)") }
        let sinceFetch = now().timeIntervalSince(set.fetchedAt)
        if sinceFetch >= 0, sinceFetch < refetchInterval {
            return .missing("the issuer's JWKS has no key \(name) (fetched \(RelativeTime.span(sinceFetch)) ago; it is refetched at most once a minute)")
        }
        set = try await fetch()
        if let key = Self.select(kid, alg: alg, in: set) { return .found(key) }
        return .missing("the issuer's JWKS has no key \(name), also after fetching it again")
    }

    /// The key named `kid`, preferring one that fits `alg` (a set may reuse a `kid` across key types);
    /// without a `kid`, the only signing key that fits `alg`, if there is exactly one.
    static func select(_ kid: String?, alg: String, in set: KeySet) -> [String: JSONValue]? {
        let fitting = set.signingKeys.filter { SignatureCheck.mismatch($0, alg: alg) == nil }
        guard let kid else { return fitting.count == 1 ? fitting.first : nil }
        return fitting.first { $0["kid"]?.string == kid } ?? set.signingKeys.first { $0["kid"]?.string == kid }
    }

    private static func noKeyID(alg: String, in set: KeySet) -> String {
        let count = set.signingKeys.filter { SignatureCheck.mismatch($0, alg: alg) == nil }.count
        return "the token has no kid and the issuer's JWKS holds \(count) signing keys for \(alg), so none can be chosen"
    }

    /// Fetches the set, checks its shape and stores it.
    func fetch() async throws -> KeySet {
        let request = TransportRequest.getJSON(url)
        let response = try await transport.send(request)
        let source = "the JWKS at \(url.absoluteString)"
        if response.status >= 500 || response.status == 429 {
            throw AuthFlowError(.unavailable, "\(source) answered \(response.status)", hint: "the authorization server may be down; try again later")
        }
        guard response.status == 200 else {
            throw AuthFlowError(.protocolError, "\(source) answered \(response.status): \(TokenResponseParser.excerpt(response.body, []))",
                                hint: "check the profile's issuer (or domain and auth_server)")
        }
        guard let keys = JSONValue.parse(response.body)?["keys"]?.array, keys.count <= 100, keys.allSatisfy({ $0.object != nil }) else {
            throw AuthFlowError(.protocolError, "\(source) is not a JSON Web Key Set (an object with a keys array of at most 100 keys)",
                                hint: "check that jwks_uri points at the issuer's keys")
        }
        let set = KeySet(keys: keys, fetchedAt: now())
        cache?.store(set, issuer: issuer, url: url)
        return set
    }
}
