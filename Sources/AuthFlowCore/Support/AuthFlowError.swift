/// A failure the CLI turns into `authflow: error: MESSAGE`, a hint and the exit status of its kind.
public struct AuthFlowError: Error, Sendable, CustomStringConvertible {
    /// What failed. The command line maps each kind to its exit status (docs/reference/exit-codes.md).
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Bad command-line usage.
        case usage
        /// The profile file is invalid.
        case invalidProfile
        /// No profile file, unreadable file, unknown profile.
        case noInput
        /// The authorization server could not be reached or answered 5xx/429.
        case unavailable
        /// TLS refused the server: an untrusted or mismatched certificate, or our client certificate
        /// was refused (reported as `unavailable`); never retried, another attempt meets the same certificate.
        case tlsRefused
        /// The server's answer is not a valid protocol message, or a token failed the output checks.
        case protocolError
        /// The authorization server refused with an OAuth error.
        case refused
        /// A secret could not be resolved or is unusable.
        case secret
        /// A bug or an unexpected local failure.
        case internalError
        /// `verify`: the token is not valid.
        case invalidToken
        /// A local file authflow must write is unsafe or cannot be created.
        case cannotCreate
        /// A temporary local condition, such as waiting too long for the cache lock.
        case tryAgain
        /// `exec`: the command was not found.
        case commandNotFound
        /// `exec`: the command could not be run.
        case commandNotExecutable

        public var description: String { rawValue }
    }

    /// What failed.
    public let kind: Kind
    /// One line saying what went wrong; never holds a secret.
    public let message: String
    /// What the user can do about it.
    public let hint: String?
    /// Rendered diagnostics (profile errors) printed before the message, or empty.
    public let details: String
    /// A way around the failure that the caller offers in its own terms (the CLI: a flag).
    public let workaround: Workaround?

    /// Ways around a failure that depend on how authflow is driven.
    public enum Workaround: Sendable, Hashable {
        /// Getting the token without reading or writing the token cache.
        case withoutTokenCache
    }

    /// For a failed request: true when it may have reached the server before the failure (a
    /// timeout or a dropped connection after connecting), false when it certainly never left
    /// (connection refused, no such host, a TLS handshake that failed).
    public let mayHaveReachedServer: Bool

    /// Creates an error of `kind`.
    public init(_ kind: Kind, _ message: String, hint: String? = nil, details: String = "", workaround: Workaround? = nil, mayHaveReachedServer: Bool = false) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.details = details
        self.workaround = workaround
        self.mayHaveReachedServer = mayHaveReachedServer
    }

    public var description: String { message }
}
