/// OAuth 2.0 Token Exchange (RFC 8693 §2.1): trade a subject token (and optionally an actor token)
/// for a new token; `scope`, `audience` and `resource` come from the profile.
public enum TokenExchangeGrant {
    /// The `grant_type`.
    public static let grantType = GrantType.tokenExchange.wireName
    /// The default token type of subject and actor tokens.
    public static let accessTokenType = GrantType.accessTokenType

    /// The form fields.
    public static func parameters(subject: Secret, subjectType: String, actor: Secret?, actorType: String?) -> GrantParameters {
        var fields: [(name: String, value: String)] = [("grant_type", grantType), ("subject_token", subject.reveal()), ("subject_token_type", subjectType)]
        if let actor {
            fields += [("actor_token", actor.reveal()), ("actor_token_type", actorType ?? accessTokenType)]
        }
        return GrantParameters(fields: fields, secrets: [subject] + (actor.map { [$0] } ?? []))
    }
}
