#!/usr/bin/env python3
"""An independent issuer of RFC 9068 JWT access tokens, for `authflow verify` and `introspect` tests.

Token issuance is Authlib's JWTBearerTokenGenerator (RFC 9068, signed by joserfc), introspection is
Authlib's JWTIntrospectionEndpoint (RFC 7662); this file only supplies the client, the keys, the
discovery document and a small admin API to rotate keys and count JWKS fetches. See README.md.

    python3 rfc9068_server.py --port 0 [--port-file F]
"""
import argparse
import hmac
import itertools
import os
import sys
import threading

import serving  # Servers/serving.py, beside this file

try:
    from authlib.integrations.flask_oauth2 import AuthorizationServer
    from authlib.oauth2.rfc6749 import ClientMixin
    from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
    from authlib.oauth2.rfc7662 import IntrospectionEndpoint
    from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator, JWTIntrospectionEndpoint
    from flask import Flask, jsonify, request
    from joserfc.jwk import KeySet, RSAKey
    from werkzeug.serving import make_server
except ImportError as e:  # pragma: no cover
    sys.exit(f"rfc9068_server: {e}; run make test (it installs them into .build/test-venv) or pip install -r {os.path.dirname(__file__)}/requirements.txt")

CLIENT_ID, CLIENT_SECRET = "resource-client", "rs-s3cret"
AUDIENCE = "https://api.example.com"
SCOPES = ["api:read", "api:write"]
LOCK = threading.RLock()
BASE = {"url": "http://127.0.0.1"}
KIDS = (f"rsa-{n}" for n in itertools.count(1))
KEYS = {"signing": None, "published": []}   # the signing key, and the keys the JWKS lists
STATS = {"jwks_requests": 0, "introspection_requests": 0, "token_requests": 0}


def new_key():
    return RSAKey.generate_key(2048, parameters={"kid": next(KIDS), "use": "sig", "alg": "RS256"})


def rotate(publish=True):
    """A new signing key; with publish, the JWKS lists it beside the old ones (a real rotation)."""
    with LOCK:
        KEYS["signing"] = new_key()
        if publish:
            KEYS["published"].append(KEYS["signing"])
        return KEYS["signing"].kid


class Client(ClientMixin):
    client_id = CLIENT_ID

    def get_client_id(self):
        return self.client_id

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(CLIENT_SECRET, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class Generator(JWTBearerTokenGenerator):
    def get_jwks(self):
        with LOCK:
            return KeySet([KEYS["signing"]])

    def get_audiences(self, client, user, scope):
        return AUDIENCE


class JWTIntrospection(JWTIntrospectionEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def get_jwks(self):
        with LOCK:
            return KeySet(list(KEYS["published"]))

    def check_permission(self, token, client, request):
        return True  # any authenticated client may ask, as at Okta


class OpaqueIntrospection(IntrospectionEndpoint):
    """Answers {"active": false} for whatever the JWT endpoint could not read."""
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token, token_type_hint):
        return None

    def check_permission(self, token, client, request):
        return True

    def introspect_token(self, token):
        return {"active": False}


class CredentialsGrant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


app = Flask(__name__)
server = AuthorizationServer(app, query_client=lambda cid: Client() if cid == CLIENT_ID else None, save_token=lambda t, r: None)
server.register_grant(CredentialsGrant)


@app.post("/token")
def token():
    with LOCK:
        STATS["token_requests"] += 1
    return server.create_token_response()


@app.post("/introspect")
def introspect():
    with LOCK:
        STATS["introspection_requests"] += 1
    return server.create_endpoint_response("introspection")


@app.get("/jwks")
def jwks():
    with LOCK:
        STATS["jwks_requests"] += 1
        keys = [k.as_dict(private=False) for k in KEYS["published"]]
    return jsonify({"keys": keys})


@app.get("/.well-known/openid-configuration")
def discovery():
    base = BASE["url"]
    return jsonify({"issuer": base, "token_endpoint": base + "/token", "jwks_uri": base + "/jwks",
                    "introspection_endpoint": base + "/introspect", "grant_types_supported": ["client_credentials"],
                    "scopes_supported": SCOPES, "response_types_supported": ["token"]})


@app.get("/__admin/stats")
def admin_stats():
    with LOCK:
        return jsonify({**STATS, "signing_kid": KEYS["signing"].kid, "published": [k.kid for k in KEYS["published"]]})


@app.post("/__admin/rotate")
def admin_rotate():
    return jsonify({"kid": rotate(publish=request.args.get("publish", "1") == "1")})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--port-file", help="write the bound port to this file once listening")
    args = ap.parse_args()
    try:
        httpd = make_server("127.0.0.1", args.port, app, threaded=True)
    except OSError as e:
        sys.exit(f"rfc9068_server: {e}")
    BASE["url"] = f"http://127.0.0.1:{httpd.server_port}"
    rotate()
    server.register_token_generator("default", Generator(issuer=BASE["url"]))
    server.register_endpoint(JWTIntrospection(issuer=BASE["url"]))
    server.register_endpoint(OpaqueIntrospection)
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if args.port_file:
        serving.write_port_file(args.port_file, httpd.server_port)
    serving.serve(httpd, BASE["url"])


if __name__ == "__main__":
    main()
