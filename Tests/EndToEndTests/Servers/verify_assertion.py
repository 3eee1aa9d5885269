"""Verifies a client assertion with PyJWT, independently of authflow's jwt-kit.

    python3 verify_assertion.py KEYFILE AUDIENCE CLIENT_ID < assertion

KEYFILE is a PEM public key, or a shared secret prefixed with 'hs256:'. Prints the header and
claims as JSON on success; exits 1 with the reason otherwise.
"""
import json
import sys
import time

import jwt


def main():
    key_arg, audience, client_id = sys.argv[1:4]
    token = sys.stdin.read().strip()
    if key_arg.startswith("hs256:"):
        key, algorithms = key_arg[len("hs256:"):], ["HS256"]
    elif key_arg.endswith(".json"):
        jwks = json.load(open(key_arg))
        key, algorithms = jwt.PyJWK(jwks["keys"][0]).key, ["RS256"]
    else:
        key, algorithms = open(key_arg).read(), ["RS256", "ES256"]
    try:
        claims = jwt.decode(token, key, algorithms=algorithms, audience=audience, issuer=client_id,
                            options={"require": ["iss", "sub", "aud", "exp", "jti", "iat"]})
    except jwt.PyJWTError as error:
        print(f"invalid: {type(error).__name__}: {error}")
        sys.exit(1)
    if claims["sub"] != client_id:
        print("invalid: sub is not the client id")
        sys.exit(1)
    if not 0 < claims["exp"] - time.time() <= 300:
        print("invalid: exp is not short")
        sys.exit(1)
    print(json.dumps({"header": jwt.get_unverified_header(token), "claims": claims}))


if __name__ == "__main__":
    main()
