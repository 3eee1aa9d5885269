#!/usr/bin/env python3
"""An independent, Okta-shaped OAuth 2.0 authorization server for authflow's end-to-end tests.

Grant handling and client authentication are Authlib's (AuthorizationServer plus the RFC 6749
grant classes); this file only supplies the data (users, clients, tokens), Okta's URL layout,
discovery documents, and fault injection. See README.md beside this file.

    python3 okta_authlib_server.py --port 0 [--port-file F] [--config FAULTS.json] [--verbose]
        [--tls-cert PEM --tls-key PEM [--client-ca PEM] [--host NAME] [--request-log F]]
"""
import argparse
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
import ssl
import sys
import threading
import time
from urllib.parse import unquote_plus

import serving  # Servers/serving.py, beside this file

try:
    from authlib.integrations.flask_oauth2 import AuthorizationServer
    from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
    from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError, InvalidScopeError, OAuth2Error, UnauthorizedClientError
    from authlib.oauth2.rfc6749.grants import BaseGrant, TokenEndpointMixin
    from authlib.oauth2.rfc6749.grants import (
        ClientCredentialsGrant, RefreshTokenGrant, ResourceOwnerPasswordCredentialsGrant)
    from authlib.oauth2.rfc6750 import BearerTokenGenerator
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from flask import Flask, Response, abort, jsonify, request
    from werkzeug.serving import make_server
except ImportError as e:  # pragma: no cover
    sys.exit(f"okta_authlib_server: {e}; run make test (it installs them into .build/test-venv) or pip install -r {os.path.dirname(__file__)}/requirements.txt")

# ---------------------------------------------------------------------------------------------
# Fixed test data
# ---------------------------------------------------------------------------------------------
SERVER_IDS = {"default", "aus_custom1"}  # custom authorization servers; "org" is the org server
SCOPES = ["openid", "profile", "email", "offline_access", "api:read", "api:write"]
GRANTS = ["password", "client_credentials", "refresh_token"]
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none", "tls_client_auth"]
USERS = {  # username -> (password, sub, display name)
    "testuser1@example.com": ("Passw0rd!", "00u1testuser1", "Test User One"),
    "testuser2@example.com": ("S3cond-Passw0rd", "00u2testuser2", "Test User Two"),
    "mfa-user@example.com": ("Mfa-Passw0rd!", "00u3mfauser", "MFA User"),
    "mfa-auto@example.com": ("Mfa-Passw0rd!", "00u4mfaauto", "MFA Auto"),
}
# Okta Direct Authentication: users whose sign-on policy asks for a second factor, and who can sign
# in with those factors alone (passwordless). Written from Okta's documentation of /token
# (mfa_required, mfa-otp, mfa-oob, otp, oob), /challenge and /primary-authenticate.
MFA_USERS = {
    # an authenticator app (base32 TOTP secret), Okta Verify push with a number challenge
    # (answered through /__authflow/mfa/approve), and codes by sms, voice and email
    "mfa-user@example.com": {"totp": "JBSWY3DPEHPK3PXP", "push": {"approve_after": None, "number": True},
                             "codes": {"sms", "voice", "email"}},
    # push only: the "phone" approves on the third poll
    "mfa-auto@example.com": {"totp": None, "push": {"approve_after": 3, "number": False}, "codes": set()},
}
MFA_OTP = "http://auth0.com/oauth/grant-type/mfa-otp"
MFA_OOB = "http://auth0.com/oauth/grant-type/mfa-oob"
# Passwordless Direct Authentication: the user's factor is the primary (only) one. Okta's token
# endpoint takes login_hint + otp, and /primary-authenticate (login_hint, channel_hint,
# challenge_hint) starts an out-of-band sign-in that is then polled like mfa-oob.
OTP = "urn:okta:params:oauth:grant-type:otp"
OOB = "urn:okta:params:oauth:grant-type:oob"
MFA_TOKEN_LIFETIME = {"org": 300, "default": 300, "aus_custom1": 2}  # seconds
MFA_INTERVAL = {"org": 5, "default": 1, "aus_custom1": 1}  # seconds between out-of-band polls


class Client(ClientMixin):
    def __init__(self, client_id, secret, auth_methods, grants, tls_subject_dn=None):
        self.client_id, self.secret = client_id, secret
        self.auth_methods, self.grants = auth_methods, grants
        self.tls_subject_dn = tls_subject_dn  # RFC 8705 §2.1.2 tls_client_auth_subject_dn

    def get_client_id(self):
        return self.client_id

    def get_allowed_scope(self, scope):  # unknown scopes were already refused (invalid_scope)
        return scope or ""

    def check_client_secret(self, client_secret):
        return self.secret is not None and hmac.compare_digest(self.secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in self.auth_methods

    def check_grant_type(self, grant_type):
        return grant_type in self.grants


CLIENTS = {c.client_id: c for c in [
    Client("0oab8olIgVNOkztHm0h7", "s3cr3t/+= &%x", ["client_secret_basic", "client_secret_post"], GRANTS + [OTP, OOB]),
    Client("public-cli", None, ["none"], ["password", "refresh_token", OTP, OOB]),
    # RFC 8705 tls_client_auth: known by the subject of its (CA-verified) TLS client certificate.
    Client("mtls-service", None, ["tls_client_auth"], ["client_credentials"],
           tls_subject_dn="CN=mtls-service,O=authflow e2e tests"),
]}


class Token(TokenMixin):
    """A stored refresh token (access tokens are opaque and never looked up again)."""

    def __init__(self, server_id, client_id, username, scope):
        self.server_id, self.client_id, self.username, self.scope = server_id, client_id, username, scope
        self.revoked = False

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope


# ---------------------------------------------------------------------------------------------
# Mutable state (guarded by LOCK): refresh tokens, request log, queued faults
# ---------------------------------------------------------------------------------------------
LOCK = threading.RLock()
STOP = threading.Event()          # set on shutdown, wakes up "hang" faults
REFRESH_TOKENS = {}               # refresh token string -> Token
STATE = {}                        # counters and the last token request (see reset_state)
FAULTS = []                       # list of fault dicts, see add_fault
BASE = {"url": "http://127.0.0.1"}  # set once the port is bound
REQUEST_LOG = {"path": None}      # --request-log: one JSON line per token request
MFA_TOKENS = {}                   # mfa_token -> {server_id, client_id, username, scope, expires}
CHALLENGES = {}                   # oob_code -> {mfa_token, channel, binding_code, polls, status, interval, primary}
LATEST_CHALLENGE = {}             # username -> oob_code of the user's latest challenge


def reset_state():
    """Zero the counters, forget the last request and drop queued faults (issued tokens stay valid)."""
    with LOCK:
        STATE.clear()
        STATE.update(token_requests=0, discovery_requests=0, redirect_hits=0, last=None, history=[])
        FAULTS.clear()


def record_request():
    """Appends this request (token, challenge, primary-authenticate) to the history; returns its entry."""
    entry = {"method": request.method, "path": request.path, "headers": dict(request.headers),
             "form": request.form.to_dict(), "body": request.get_data(cache=True, as_text=True)}
    with LOCK:
        STATE["history"] = (STATE["history"] + [entry])[-50:]
    return entry


def issuer_for(server_id):
    return BASE["url"] if server_id == "org" else f"{BASE['url']}/oauth2/{server_id}"


def endpoint_base(server_id):
    return f"{BASE['url']}/oauth2/v1" if server_id == "org" else f"{BASE['url']}/oauth2/{server_id}/v1"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_id_token(server_id, client, username, scope):
    """An HS256 JWT signed with the client secret (public clients: a fixed test key)."""
    _, sub, name = USERS[username]
    now = int(time.time())
    claims = {"iss": issuer_for(server_id), "sub": sub, "aud": client.client_id,
              "iat": now, "exp": now + 3600, "auth_time": now}
    if "email" in scope:
        claims["email"] = username
    if "profile" in scope:
        claims.update(name=name, preferred_username=username)
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    key = (client.secret or "authflow-e2e-public-client-key").encode()
    return signing_input + "." + b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


# ---------------------------------------------------------------------------------------------
# Authlib wiring: one AuthorizationServer per Okta authorization server id
# ---------------------------------------------------------------------------------------------
class MFARequiredError(OAuth2Error):
    """Okta's answer to a password grant whose sign-on policy wants a second factor."""
    error = "mfa_required"
    status_code = 403

    def __init__(self, mfa_token):
        super().__init__("Multifactor authentication required.")
        self.mfa_token = mfa_token

    def get_body(self):
        return super().get_body() + [("mfa_token", self.mfa_token)]


def totp(secret, at):
    """RFC 6238: HMAC-SHA-1 over the 30 s step, 6 digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, int(at // 30).to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF) % 1000000)


class PasswordGrant(ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def authenticate_token_endpoint_client(self):
        self.authenticated_client = super().authenticate_token_endpoint_client()  # the mfa_token is bound to it
        return self.authenticated_client

    def authenticate_user(self, username, password):
        # Okta signs a user in with the password grant only as OpenID Connect: asked-for scopes must hold openid.
        scope = self.request.payload.scope
        if scope is not None and "openid" not in scope.split():
            raise InvalidScopeError("The 'openid' scope is required for the password grant type.")
        entry = USERS.get(username)
        if entry and hmac.compare_digest(entry[0], password):
            if username in MFA_USERS:
                self.validate_requested_scope()
                token = secrets.token_urlsafe(32)
                sid = self.server.server_id
                with LOCK:
                    MFA_TOKENS[token] = {"server_id": sid, "client_id": self.authenticated_client.client_id, "username": username,
                                         "scope": self.request.payload.scope, "expires": time.time() + MFA_TOKEN_LIFETIME[sid]}
                raise MFARequiredError(token)
            return username
        # Authlib answers invalid_request here; RFC 6749 §5.2 and Okta say invalid_grant.
        raise InvalidGrantError("The credentials provided were invalid.")


def live_mfa_token(form, client, server_id):
    """The pending sign-in of the request's mfa_token, for this client and authorization server."""
    token = form.get("mfa_token")
    if not token:
        raise InvalidRequestError("Missing 'mfa_token' in request.")
    with LOCK:
        entry = MFA_TOKENS.get(token)
    if not entry or entry["client_id"] != client.client_id or entry["server_id"] != server_id or entry["expires"] < time.time():
        raise InvalidGrantError("The mfa_token is invalid or has expired.")
    return token, entry


class MFAGrantBase(BaseGrant, TokenEndpointMixin):
    """The second leg of the password grant: the client authenticates as it did for the password."""
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def validate_token_request(self):
        client = self.authenticate_token_endpoint_client()
        if not client.check_grant_type("password"):
            raise UnauthorizedClientError("The client is not authorized to use the password grant.")
        token, entry = live_mfa_token(self.request.form, client, self.server.server_id)
        self.check_factor(token, entry)
        with LOCK:
            MFA_TOKENS.pop(token, None)  # an mfa_token yields tokens once
        self.request.client = client
        self.request.user = entry["username"]
        self.scope = entry["scope"]

    def create_token_response(self):
        token = self.generate_token(user=self.request.user, scope=self.scope)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class MFAOTPGrant(MFAGrantBase):
    GRANT_TYPE = MFA_OTP

    def check_factor(self, token, entry):
        secret = MFA_USERS[entry["username"]]["totp"]
        otp = self.request.form.get("otp", "")
        now = time.time()
        if not secret or not any(hmac.compare_digest(totp(secret, now + skew), otp) for skew in (-30, 0, 30)):
            raise InvalidGrantError("Your passcode doesn't match our records. Please try again.")


def poll_challenge(challenge, username, form):
    """One poll of an out-of-band challenge (call with LOCK held): returns when approved, else raises
    what Okta answers: authorization_pending, slow_down, access_denied, invalid_grant."""
    now = time.time()
    previous = challenge["polls"][-1] if challenge["polls"] else None
    challenge["polls"].append(now)
    if challenge["channel"] != "push":
        if not hmac.compare_digest(challenge["binding_code"] or "", form.get("binding_code", "")):
            raise InvalidGrantError("Your passcode doesn't match our records. Please try again.")
        return
    after = MFA_USERS[username]["push"]["approve_after"]
    if challenge["status"] == "pending" and after and len(challenge["polls"]) >= after:
        challenge["status"] = "approved"
    if challenge["status"] == "denied":
        raise OAuth2Error("The user rejected the push notification.", status_code=400, error="access_denied")
    if challenge["status"] == "pending":
        if previous is not None and now - previous < challenge["interval"] - 0.1:
            challenge["interval"] += 5
            raise OAuth2Error("The client is polling too often.", status_code=400, error="slow_down")
        raise OAuth2Error("No user response received on the out-of-band authenticator yet.",
                          status_code=400, error="authorization_pending")


class MFAOOBGrant(MFAGrantBase):
    GRANT_TYPE = MFA_OOB

    def check_factor(self, token, entry):
        form = self.request.form
        with LOCK:
            challenge = CHALLENGES.get(form.get("oob_code", ""))
            if not challenge or challenge["mfa_token"] != token:
                raise InvalidGrantError("The oob_code is invalid.")
            poll_challenge(challenge, entry["username"], form)


class PasswordlessGrantBase(MFAGrantBase):
    """A passwordless sign-in: the client authenticates as for any grant and must be allowed this one."""

    def validate_token_request(self):
        client = self.authenticate_token_endpoint_client()
        if not client.check_grant_type(self.GRANT_TYPE):
            raise UnauthorizedClientError("The client is not authorized to use the provided grant type.")
        self.request.client = client
        self.validate_requested_scope()
        self.request.user = self.sign_in(client, self.request.form)
        self.scope = self.request.payload.scope


class PasswordlessOTPGrant(PasswordlessGrantBase):
    GRANT_TYPE = OTP

    def sign_in(self, client, form):
        username, otp = form.get("login_hint"), form.get("otp")
        if not username or not otp:
            raise InvalidRequestError("The 'login_hint' and 'otp' parameters are required.")
        secret = MFA_USERS.get(username, {}).get("totp")
        now = time.time()
        if not secret or not any(hmac.compare_digest(totp(secret, now + skew), otp) for skew in (-30, 0, 30)):
            raise InvalidGrantError("Your passcode doesn't match our records. Please try again.")
        return username


class PasswordlessOOBGrant(PasswordlessGrantBase):
    GRANT_TYPE = OOB

    def sign_in(self, client, form):
        with LOCK:
            challenge = CHALLENGES.get(form.get("oob_code", ""))
            primary = challenge and challenge.get("primary")
            if not primary or primary["client_id"] != client.client_id or primary["server_id"] != self.server.server_id:
                raise InvalidGrantError("The oob_code is invalid.")
            if primary["expires"] < time.time():
                raise OAuth2Error("The oob_code has expired.", status_code=400, error="expired_token")
            poll_challenge(challenge, primary["username"], form)
            challenge["primary"] = None  # a sign-in yields tokens once
            return primary["username"]


class CredentialsGrant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS


class RotatingRefreshGrant(RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotate: every refresh answers with a new refresh token

    def authenticate_refresh_token(self, refresh_token):
        token = REFRESH_TOKENS.get(refresh_token)
        if token and not token.revoked and token.server_id == self.server.server_id:
            return token

    def authenticate_user(self, refresh_token):
        return refresh_token.username

    def revoke_old_credential(self, refresh_token):
        refresh_token.revoked = True


def authenticate_client_secret_basic(query_client, req):
    """client_secret_basic per RFC 6749 §2.3.1: id and secret are form-urlencoded, then Basic.

    Replaces Authlib's built-in method, whose parser (authlib 1.9) uses urllib's unquote(), which
    leaves a '+' (an encoded space) undecoded, so a secret holding a space could never match."""
    scheme, _, value = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except ValueError:
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    client = query_client(unquote_plus(client_id))
    if client and client.check_client_secret(unquote_plus(secret)):
        return client
    return None


def peer_certificate():
    """The TLS client certificate of this request (verified against --client-ca by the TLS layer), or None."""
    text = request.environ.get("SSL_CLIENT_CERT")
    return x509.load_pem_x509_certificate(text.encode()) if text else None


def authenticate_tls_client_auth(query_client, req):
    """tls_client_auth (RFC 8705 §2.1): client_id in the form, no secret, and a TLS client certificate
    (chain already verified against --client-ca) whose subject DN is the one registered for the client."""
    client_id = req.form.get("client_id")
    cert = peer_certificate()
    if not client_id or cert is None or req.form.get("client_secret") or "Authorization" in req.headers:
        return None
    client = query_client(client_id)
    if client and client.tls_subject_dn and cert.subject.rfc4514_string() == client.tls_subject_dn:
        return client
    return None


class OktaTokenGenerator(BearerTokenGenerator):
    """Authlib's Bearer generator with Okta's policy: 3600 s, refresh tokens only for
    offline_access (never for client_credentials), id_token for openid when there is a user."""

    def __init__(self, server_id):
        new = lambda **_: secrets.token_urlsafe(32)
        super().__init__(new, new, 3600)
        self.server_id = server_id

    def generate(self, grant_type, client, user=None, scope=None, expires_in=None,
                 include_refresh_token=True):
        scopes = (scope or "").split()
        include_refresh_token = include_refresh_token and user is not None and "offline_access" in scopes
        token = super().generate(grant_type, client, user, scope, expires_in, include_refresh_token)
        if user is not None and "openid" in scopes:
            token["id_token"] = make_id_token(self.server_id, client, user, scopes)
        return token


def token_saver(server_id):
    def save_token(token, req):  # only refresh tokens need remembering
        if "refresh_token" in token:
            REFRESH_TOKENS[token["refresh_token"]] = Token(
                server_id, req.client.client_id, req.user, token.get("scope", ""))
    return save_token


app = Flask(__name__)
AUTH_SERVERS = {}
for _sid in ["org", *sorted(SERVER_IDS)]:
    _srv = AuthorizationServer(app, query_client=CLIENTS.get, save_token=token_saver(_sid))
    _srv.server_id = _sid
    _srv.scopes_supported = SCOPES  # anything else: invalid_scope
    _srv.register_token_generator("default", OktaTokenGenerator(_sid))
    _srv.register_client_auth_method("client_secret_basic", authenticate_client_secret_basic)
    _srv.register_client_auth_method("tls_client_auth", authenticate_tls_client_auth)
    for _grant in (PasswordGrant, CredentialsGrant, RotatingRefreshGrant, MFAOTPGrant, MFAOOBGrant,
                   PasswordlessOTPGrant, PasswordlessOOBGrant):
        _srv.register_grant(_grant)
    AUTH_SERVERS[_sid] = _srv


def server_or_404(server_id):
    if server_id != "org" and server_id not in SERVER_IDS:
        abort(404)  # Flask's HTML 404 page, like Okta's for an unknown authorization server
    return AUTH_SERVERS[server_id]


# ---------------------------------------------------------------------------------------------
# Fault injection
# ---------------------------------------------------------------------------------------------
FAULT_MODES = {"status500", "malformed_json", "html", "shell_token", "crlf_token", "no_token_type",
               "unknown_token_type", "status429", "status503", "hang", "empty401", "esc_description", "redirect",
               "trickle", "echo_error", "echo_success", "lose_answer"}


def add_fault(spec):
    """spec: {"mode": M, "count": N (default 1, -1 = every request), "after": K (let K matching
    token requests through first), "path": P (only token requests to this path),
    "seconds": S (hang, trickle, lose_answer), "retry_after": R (status429, status503), "location": URL (redirect)}
    trickle: a 200 head at once, then one byte of body a second for S seconds.
    lose_answer: the request is processed (a code or refresh token is used, tokens are issued),
    then, after S seconds (default 0), the connection is closed without an answer.
    echo_error / echo_success: a hostile server that echoes the request (its Authorization header
    and form body) in an error_description, or in an unknown member of a real token response."""
    if not isinstance(spec, dict) or spec.get("mode") not in FAULT_MODES:
        raise ValueError(f"unknown fault mode in {spec!r}; known: {sorted(FAULT_MODES)}")
    fault = {"count": 1, "after": 0, "path": None, **spec}
    with LOCK:
        FAULTS.append(fault)
    return fault


def take_fault(path):
    """The first queued fault that applies to this token request, consuming one of its uses."""
    chosen = None
    with LOCK:
        for f in FAULTS:
            if f["path"] and f["path"] != path:
                continue
            if f["after"] > 0:
                f["after"] -= 1
            elif chosen is None and f["count"] != 0:
                chosen = f
                f["count"] = f["count"] - 1 if f["count"] > 0 else f["count"]
    return chosen


def token_json(access_token, **extra):
    body = {"token_type": "Bearer", "expires_in": 3600, "access_token": access_token, **extra}
    return Response(json.dumps({k: v for k, v in body.items() if v is not None}), 200,
                    {"Content-Type": "application/json", "Cache-Control": "no-store"})


def fault_response(f):
    mode, html = f["mode"], "text/html; charset=utf-8"
    if mode == "status500":
        return Response("<html><body><h1>500 Internal Server Error</h1></body></html>", 500, {"Content-Type": html})
    if mode == "malformed_json":
        return Response('{"access_token": "abc"', 200, {"Content-Type": "application/json"})
    if mode == "html":
        return Response("<!DOCTYPE html><html><head><title>Sign In</title></head>"
                        "<body><p>Please sign in.</p></body></html>", 200, {"Content-Type": html})
    if mode == "shell_token":
        return token_json("abc';$(touch /tmp/pwned)'")
    if mode == "crlf_token":
        return token_json("abc\r\nX-Injected: 1")
    if mode == "no_token_type":
        return token_json("abc" + secrets.token_hex(8), token_type=None)
    if mode == "unknown_token_type":
        return token_json("abc" + secrets.token_hex(8), token_type="mac")
    if mode == "status429":
        body = {"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit due to too many requests."}
        return Response(json.dumps(body), 429, {"Content-Type": "application/json",
                                                "Retry-After": str(f.get("retry_after", 1))})
    if mode == "status503":
        return Response("Service Unavailable\nThe server is down for maintenance.", 503,
                        {"Content-Type": "text/plain", "Retry-After": str(f.get("retry_after", 1))})
    if mode == "empty401":
        resp = Response(b"", 401)
        del resp.headers["Content-Type"]
        return resp
    if mode == "esc_description":
        body = {"error": "invalid_grant", "error_description": "bad \u001b[31mred\u001b[0m\nsecond line"}
        return Response(json.dumps(body), 400, {"Content-Type": "application/json"})
    if mode == "redirect":
        return Response("", 302, {"Location": f.get("location", BASE["url"] + "/__admin/redirect-target")})
    if mode == "trickle":
        seconds = float(f.get("seconds", 30))

        def drip():
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not STOP.is_set():
                yield b" "
                STOP.wait(1)
            yield b"{}"
        return Response(drip(), 200, {"Content-Type": "application/json"})
    if mode == "echo_error":
        body = {"error": "invalid_client",
                "error_description": f"you sent {request.headers.get('Authorization', '')} and {request.get_data(as_text=True)}"}
        return Response(json.dumps(body), 400, {"Content-Type": "application/json"})
    return None  # "hang" is handled before, then the request is answered normally


def lose_answer(seconds):
    """Closes this request's connection without a byte of answer, after `seconds`."""
    STOP.wait(seconds)
    conn = request.environ.get("werkzeug.socket")
    if conn is not None:
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client is gone already
    return Response(b"", 500)  # never reaches the client: werkzeug's write fails on the closed socket


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------
@app.post("/oauth2/v1/token", defaults={"server_id": "org"})
@app.post("/oauth2/<server_id>/v1/token")
def token(server_id):
    raw_body = request.get_data(cache=True, as_text=True)
    entry = record_request()
    with LOCK:
        STATE["token_requests"] += 1
        STATE["last"] = entry
        if REQUEST_LOG["path"]:
            cert = peer_certificate()
            entry = {**STATE["last"], "client_cert_subject": cert.subject.rfc4514_string() if cert else None,
                     "client_cert_sha256": cert.fingerprint(hashes.SHA256()).hex() if cert else None}
            with open(REQUEST_LOG["path"], "a") as fh:
                fh.write(json.dumps(entry) + "\n")
    srv = server_or_404(server_id)
    fault = take_fault(request.path)
    if fault and fault["mode"] == "hang":
        STOP.wait(float(fault.get("seconds", 30)))
    elif fault and fault["mode"] not in ("echo_success", "lose_answer"):
        return fault_response(fault)
    with LOCK:  # one token issuance at a time keeps refresh-token rotation race-free
        answer = srv.create_token_response()
    if fault and fault["mode"] == "lose_answer":
        return lose_answer(float(fault.get("seconds", 0)))
    if fault and answer.status_code == 200:  # echo_success: the request, echoed in unknown members
        body = json.loads(answer.get_data(as_text=True))
        body["debug_request"] = {"authorization": request.headers.get("Authorization", ""), "body": raw_body}
        body["echo"] = raw_body
        answer.set_data(json.dumps(body))
    return answer


def discovery(server_id, oidc):
    srv = server_or_404(server_id)
    with LOCK:
        STATE["discovery_requests"] += 1
    ep = endpoint_base(server_id)
    doc = {"issuer": issuer_for(server_id), "authorization_endpoint": ep + "/authorize",
           "token_endpoint": ep + "/token", "jwks_uri": ep + "/keys",
           "response_types_supported": ["code"], "grant_types_supported": GRANTS + [OTP, OOB],
           "token_endpoint_auth_methods_supported": AUTH_METHODS, "scopes_supported": srv.scopes_supported}
    if oidc:
        doc.update(subject_types_supported=["public"], id_token_signing_alg_values_supported=["HS256"],
                   userinfo_endpoint=ep + "/userinfo")
    return jsonify(doc)


@app.get("/.well-known/openid-configuration", defaults={"server_id": "org"})
@app.get("/oauth2/<server_id>/.well-known/openid-configuration")
def openid_configuration(server_id):
    return discovery(server_id, oidc=True)


@app.get("/.well-known/oauth-authorization-server", defaults={"server_id": "org"})
@app.get("/oauth2/<server_id>/.well-known/oauth-authorization-server")
@app.get("/.well-known/oauth-authorization-server/oauth2/<server_id>")  # RFC 8414 §3.1 inserted form
def oauth_authorization_server(server_id):
    return discovery(server_id, oidc=False)


@app.get("/oauth2/v1/keys", defaults={"server_id": "org"})
@app.get("/oauth2/<server_id>/v1/keys")
def keys(server_id):  # stub: ID tokens are HS256, there is no public key to publish
    server_or_404(server_id)
    return jsonify({"keys": []})


@app.post("/oauth2/v1/challenge", defaults={"server_id": "org"})
@app.post("/oauth2/<server_id>/v1/challenge")
def challenge(server_id):
    """Okta's /challenge: starts an out-of-band factor for an mfa_token (push, sms, voice, email)."""
    record_request()
    srv = server_or_404(server_id)
    req = srv.create_oauth2_request(request)
    try:
        client = srv.authenticate_client(req, AUTH_METHODS)
        token, entry = live_mfa_token(request.form, client, server_id)
        if MFA_OOB not in request.form.get("challenge_types_supported", "").split():
            raise InvalidRequestError(f"'challenge_types_supported' must include {MFA_OOB}.")
        answer = start_challenge(entry["username"], request.form.get("channel_hint", ""), server_id,
                                 int(entry["expires"] - time.time()), mfa_token=token)
        answer["challenge_type"] = MFA_OOB
        return Response(json.dumps(answer), 200, {"Content-Type": "application/json", "Cache-Control": "no-store"})
    except OAuth2Error as error:
        return srv.handle_error_response(req, error)


def start_challenge(username, channel, server_id, expires_in, mfa_token=None, primary=None):
    """Sends a push (a number to tap when the user's push asks for one) or a code on `channel`;
    returns Okta's answer: oob_code, channel, binding_method, binding_code?, expires_in, interval."""
    factors = MFA_USERS.get(username)
    answer = {"channel": channel, "expires_in": expires_in, "interval": MFA_INTERVAL[server_id]}
    if factors and channel == "push" and factors["push"]:
        code = str(10 + secrets.randbelow(90)) if factors["push"]["number"] else None  # the number to tap
        answer["binding_method"] = "transfer" if code else "none"
        if code:
            answer["binding_code"] = code
    elif factors and channel in factors["codes"]:
        code = "%06d" % secrets.randbelow(1000000)
        answer["binding_method"] = "prompt"
    else:  # an unknown user gets the answer of a user without that authenticator
        raise OAuth2Error(f"The user has no authenticator for the channel '{channel[:20]}'.", status_code=400,
                          error="unsupported_challenge_type")
    oob_code = secrets.token_urlsafe(32)
    with LOCK:
        CHALLENGES[oob_code] = {"mfa_token": mfa_token, "channel": channel, "binding_code": code, "polls": [],
                                "status": "pending", "interval": MFA_INTERVAL[server_id], "primary": primary}
        LATEST_CHALLENGE[username] = oob_code
    answer["oob_code"] = oob_code
    return answer


@app.post("/oauth2/v1/primary-authenticate", defaults={"server_id": "org"})
@app.post("/oauth2/<server_id>/v1/primary-authenticate")
def primary_authenticate(server_id):
    """Okta's /primary-authenticate: starts a passwordless out-of-band sign-in for login_hint."""
    record_request()
    srv = server_or_404(server_id)
    req = srv.create_oauth2_request(request)
    try:
        client = srv.authenticate_client(req, AUTH_METHODS)
        if not client.check_grant_type(OOB):
            raise UnauthorizedClientError("The client is not authorized to use the provided grant type.")
        form = request.form
        username, channel = form.get("login_hint"), form.get("channel_hint")
        if not username or not channel:
            raise InvalidRequestError("The 'login_hint' and 'channel_hint' parameters are required.")
        if form.get("challenge_hint") != OOB:
            raise InvalidRequestError(f"'challenge_hint' must be {OOB}.")
        lifetime = MFA_TOKEN_LIFETIME[server_id]
        primary = {"server_id": server_id, "client_id": client.client_id, "username": username, "expires": time.time() + lifetime}
        answer = start_challenge(username, channel, server_id, lifetime, primary=primary)
        return Response(json.dumps(answer), 200, {"Content-Type": "application/json", "Cache-Control": "no-store"})
    except OAuth2Error as error:
        return srv.handle_error_response(req, error)


@app.post("/__authflow/mfa/approve")
def mfa_approve():
    """Test-only: the user answers the latest push on the phone (action=deny to refuse)."""
    with LOCK:
        challenge = CHALLENGES.get(LATEST_CHALLENGE.get(request.form.get("username", ""), ""))
        if not challenge or challenge["channel"] != "push" or challenge["status"] != "pending":
            return jsonify({"ok": False}), 404
        challenge["status"] = "denied" if request.form.get("action") == "deny" else "approved"
    return jsonify({"ok": True})


@app.get("/__authflow/mfa/challenge")
def mfa_challenge():
    """Test-only: the user's latest challenge: channel, the code sent (or the number to tap), poll times."""
    with LOCK:
        challenge = CHALLENGES.get(LATEST_CHALLENGE.get(request.args.get("username", ""), ""))
        if not challenge:
            return jsonify({"ok": False}), 404
        return jsonify({"channel": challenge["channel"], "code": challenge["binding_code"], "polls": challenge["polls"]})


@app.get("/__admin/requests")
def admin_requests():
    with LOCK:
        return jsonify({**STATE, "faults": FAULTS})


@app.post("/__admin/fault")
def admin_fault():
    try:
        fault = add_fault(request.get_json(force=True, silent=True))
    except ValueError as e:
        return jsonify({"error": str(e)}), 400
    return jsonify({"added": fault, "faults": FAULTS})


@app.post("/__admin/reset")
def admin_reset():
    reset_state()
    return jsonify({"reset": True})


@app.route("/__admin/redirect-target", methods=["GET", "POST"])
def redirect_target():  # where the "redirect" fault points: a client that follows it is caught here
    with LOCK:
        STATE["redirect_hits"] += 1
    return token_json("redirected-token")


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--port-file", help="write the bound port to this file once listening")
    ap.add_argument("--config", help='JSON file: {"faults": [{"mode": ..., "count": N}, ...]}')
    ap.add_argument("--verbose", action="store_true", help="log every request to stderr")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate chain (PEM)")
    ap.add_argument("--tls-key", help="the private key of --tls-cert (PEM)")
    ap.add_argument("--client-ca", help="with --tls-cert: ask for client certificates and verify them against this CA (PEM); "
                                        "a client may still connect without one")
    ap.add_argument("--host", help="the host name in the advertised URLs (default: 127.0.0.1, with --tls-cert localhost)")
    ap.add_argument("--request-log", help="append every token request, with its TLS client certificate, as a JSON line")
    args = ap.parse_args()
    REQUEST_LOG["path"] = args.request_log

    reset_state()
    try:
        if args.config:  # {"faults": [...]}, a bare list of faults, or one fault object
            with open(args.config) as fh:
                cfg = json.load(fh)
            specs = cfg.get("faults", [cfg] if "mode" in cfg else []) if isinstance(cfg, dict) else cfg
            for spec in specs:
                add_fault(spec)
        context = None
        if args.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(args.tls_cert, args.tls_key)
            if args.client_ca:
                context.load_verify_locations(args.client_ca)
                context.verify_mode = ssl.CERT_OPTIONAL  # a certificate is checked when sent, not required
        httpd = make_server("127.0.0.1", args.port, app, threaded=True, ssl_context=context)
    except (OSError, ValueError) as e:
        sys.exit(f"okta_authlib_server: {e}")
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = httpd.server_port
    scheme = "https" if args.tls_cert else "http"
    BASE["url"] = f"{scheme}://{args.host or ('localhost' if args.tls_cert else '127.0.0.1')}:{port}"
    if args.port_file:
        serving.write_port_file(args.port_file, port)
    serving.serve(httpd, BASE["url"], on_stop=STOP.set)


if __name__ == "__main__":
    main()
