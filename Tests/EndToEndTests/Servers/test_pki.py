#!/usr/bin/env python3
"""Makes a throwaway test PKI for authflow's TLS end-to-end tests, fresh on every run.

Nothing here is committed: the tests call this at test time and delete the folder afterwards.

    python3 test_pki.py OUTDIR

writes, in OUTDIR (keys mode 0600):

| file | what |
|---|---|
| ca.pem, ca.key | "authflow e2e test CA": signs the server and the known client certificates |
| server.pem, server.key | server certificate for DNS:localhost and DNS:auth.test (deliberately no IP SAN: |
|                        | https://127.0.0.1 is a hostname mismatch with a trusted certificate) |
| client.pem, client.key | client certificate CN=mtls-service (RSA 2048, PKCS#8 key), chain: leaf then CA |
| stranger.pem, stranger.key | client certificate CN=stranger from the same CA: trusted, but no client has it |
| rogue-ca.pem | an unrelated CA nobody trusts |
| rogue.pem, rogue.key | client certificate CN=mtls-service signed by the rogue CA |
| fingerprints.json | {"client": SHA-256 hex of client.pem's leaf, ...} |
"""
import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "authflow e2e tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def certificate(subject, key, issuer, issuer_key, *, ca=False, dns=(), client=False):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - datetime.timedelta(minutes=5))
               .not_valid_after(NOW + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    else:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def write(folder, filename, data, private=False):
    path = os.path.join(folder, filename)
    with open(path, "wb") as fh:
        fh.write(data)
    if private:
        os.chmod(path, 0o600)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_pki.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate(name("authflow e2e test CA"), ca_key, name("authflow e2e test CA"), ca_key, ca=True)
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    rogue_ca = certificate(name("rogue test CA"), rogue_key, name("rogue test CA"), rogue_key, ca=True)
    write(out, "ca.pem", pem(ca))
    write(out, "ca.key", key_pem(ca_key), private=True)
    write(out, "rogue-ca.pem", pem(rogue_ca))

    server_key = ec.generate_private_key(ec.SECP256R1())
    server = certificate(name("localhost"), server_key, ca.subject, ca_key, dns=("localhost", "auth.test"))
    write(out, "server.pem", pem(server))
    write(out, "server.key", key_pem(server_key), private=True)

    fingerprints = {}
    for label, cn, issuer, issuer_key, key in [
        ("client", "mtls-service", ca, ca_key, rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        ("stranger", "stranger", ca, ca_key, ec.generate_private_key(ec.SECP256R1())),
        ("rogue", "mtls-service", rogue_ca, rogue_key, ec.generate_private_key(ec.SECP256R1())),
    ]:
        leaf = certificate(name(cn), key, issuer.subject, issuer_key, client=True)
        write(out, f"{label}.pem", pem(leaf) + pem(issuer))  # a chain: leaf first, then its CA
        write(out, f"{label}.key", key_pem(key), private=True)
        fingerprints[label] = leaf.fingerprint(hashes.SHA256()).hex()
    write(out, "fingerprints.json", json.dumps(fingerprints).encode())


if __name__ == "__main__":
    main()
