/// A failure the CLI turns into `authflow: error: MESSAGE`, a hint and an exit code (docs/reference/exit-codes.md).
public struct AuthFlowError: Error, Sendable, CustomStringConvertible {
    /// What failed; decides the exit code.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case usage, invalidProfile, noInput, unavailable, tlsRefused, protocolError, refused, secret, internalError, invalidToken, cannotCreate, tryAgain, commandNotFound, commandNotExecutable }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Bad command-line usage (64).
        public static let usage = Kind(.usage)
        /// The profile file is invalid (65).
        public static let invalidProfile = Kind(.invalidProfile)
        /// No profile file, unreadable file, unknown profile (66).
        public static let noInput = Kind(.noInput)
        /// The authorization server could not be reached or answered 5xx/429 (69).
        public static let unavailable = Kind(.unavailable)
        /// TLS refused the server: an untrusted or mismatched certificate, or our client certificate
        /// was refused (69, as `unavailable`); never retried, another attempt meets the same certificate.
        public static let tlsRefused = Kind(.tlsRefused)
        /// The server's answer is not a valid protocol message, or a token failed the output checks (76).
        public static let protocolError = Kind(.protocolError)
        /// The authorization server refused with an OAuth error (77).
        public static let refused = Kind(.refused)
        /// A secret could not be resolved or is unusable (78).
        public static let secret = Kind(.secret)
        /// A bug or an unexpected local failure (1).
        public static let internalError = Kind(.internalError)
        /// `verify`: the token is not valid (1).
        public static let invalidToken = Kind(.invalidToken)

        /// A local file authflow must write is unsafe or cannot be created (73).
        public static let cannotCreate = Kind(.cannotCreate)
        /// A temporary local condition, such as waiting too long for the cache lock (75).
        public static let tryAgain = Kind(.tryAgain)

        /// `exec`: the command was not found (127, as shells say).
        public static let commandNotFound = Kind(.commandNotFound)
        /// `exec`: the command could not be run (126, as shells say).
        public static let commandNotExecutable = Kind(.commandNotExecutable)

        /// The process exit code for this kind (docs/reference/exit-codes.md).
        public var exitCode: Int32 {
            switch base {
            case .usage: 64
            case .invalidProfile: 65
            case .noInput: 66
            case .unavailable, .tlsRefused: 69
            case .protocolError: 76
            case .refused: 77
            case .secret: 78
            case .cannotCreate: 73
            case .tryAgain: 75
            case .commandNotFound: 127
            case .commandNotExecutable: 126
            case .internalError, .invalidToken: 1
            }
        }

        public var description: String { base.rawValue }
    }

    /// What failed.
    public let kind: Kind
    /// One line saying what went wrong; never holds a secret.
    public let message: String
    /// What the user can do about it.
    public let hint: String?
    /// Rendered diagnostics (profile errors) printed before the message, or empty.
    public let details: String
    /// For a failed request: true when it may have reached the server before the failure (a
    /// timeout or a dropped connection after connecting), false when it certainly never left
    /// (connection refused, no such host, a TLS handshake that failed).
    public let mayHaveReachedServer: Bool

    /// Creates an error of `kind`.
    public init(_ kind: Kind, _ message: String, hint: String? = nil, details: String = "", mayHaveReachedServer: Bool = false) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.details = details
        self.mayHaveReachedServer = mayHaveReachedServer
    }

    public var description: String { message }
}
