public import Foundation

/// How a client proves itself at the token endpoint (RFC 6749 §2.3).
public enum ClientAuthentication {
    /// The header and form fields that authenticate `clientID` with `secret` by `method`.
    public static func apply(_ method: Profile.ClientAuth, clientID: String, secret: Secret?) -> (headers: [(name: String, value: String)], fields: [(name: String, value: String)]) {
        switch method {
        case .clientSecretBasic:
            return ([("Authorization", basicHeader(clientID: clientID, secret: secret ?? Secret("")))], [])
        case .clientSecretPost:
            return ([], [("client_id", clientID), ("client_secret", secret?.reveal() ?? "")])
        case .none, .privateKeyJWT, .clientSecretJWT:
            return ([], [("client_id", clientID)])
        }
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` per RFC 6749 §2.3.1.
    public static func basicHeader(clientID: String, secret: Secret) -> String {
        let pair = "\(FormEncoding.encode(clientID)):\(FormEncoding.encode(secret.reveal()))"
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}
