"""Both nginx sites (compose and OpenFaaS) and the TLS template, run by Debian's nginx in front of an echo
server standing in for the functions and the OpenFaaS gateway: where each path goes, what nginx forwards."""

from __future__ import annotations

import datetime
import ipaddress
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from functions import ALL_FUNCTIONS, HTTP_FUNCTIONS
from functions.dispatcher import SPA_CSP
from medianest.devstack import free_port
from tests.deploy.nginx import Nginx, nginx_binary


@pytest.fixture(autouse=True)
def _nginx_installed() -> None:
    """The deployment is checked for real: without nginx this fails (`.ci/run` installs it)."""
    if nginx_binary() is None:
        pytest.fail("nginx is not installed: apt-get install nginx")


class Echo(BaseHTTPRequestHandler):
    """Answers every request with what it received."""

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def site_values(tmp_path: Path, echo_port: int, listen: str) -> dict[str, str]:
    dist = tmp_path / "dist"
    dist.mkdir(exist_ok=True)
    (dist / "index.html").write_text("<!doctype html><title>t</title>")
    values = {f"NGINX_{name.upper()}_UPSTREAM": f"127.0.0.1:{echo_port}" for name in (*ALL_FUNCTIONS, "gateway")}
    values.update(NGINX_LISTEN=listen, NGINX_FRONTEND_ROOT=str(dist), NGINX_ACME_ROOT=str(tmp_path / "acme"),
                  NGINX_ACCESS_LOG=str(tmp_path / "access.log"))
    return values


@pytest.mark.parametrize(("site", "prefix"), [("nginx.conf", ""), ("nginx.openfaas.conf", "/function/{fn}")])
def test_api_routes_and_forwarded_headers(tmp_path: Path, echo: int, site: str, prefix: str) -> None:
    port = free_port()
    nginx = Nginx(tmp_path / "nginx", [site], site_values(tmp_path, echo, f"127.0.0.1:{port}"), [port])
    nginx.start()
    try:
        base = f"http://127.0.0.1:{port}"
        for fn in ALL_FUNCTIONS:
            # realtime is never behind the gateway: OpenFaaS CE cannot hold its sockets
            expected = prefix.format(fn=fn) if fn in HTTP_FUNCTIONS else ""
            # the path is re-escaped after nginx normalises it (an encoded slash arrives as "/", as it
            # does in WSGI's PATH_INFO anyway); the query string passes untouched
            got = requests.get(f"{base}/api/v1/{fn}/library/A%20B%2Fc?q=a%20b&x=%2F", timeout=5,
                               headers={"X-Forwarded-For": "6.6.6.6", "Host": "media.example.org"}).json()
            assert got["path"] == f"{expected}/library/A%20B/c?q=a%20b&x=%2F", (site, fn)
            # the client's X-Forwarded-For is replaced, not extended: the functions trust exactly one hop
            assert got["headers"]["x-forwarded-for"] == "127.0.0.1"
            assert got["headers"]["x-forwarded-proto"] == "http"
            assert got["headers"]["host"] == "media.example.org"
            assert "connection" not in got["headers"]  # upstream keep-alive, no upgrade
        socket = requests.get(f"{base}/ws", headers={"Upgrade": "websocket", "Connection": "Upgrade"},
                              timeout=5).json()
        assert socket["path"] == "/ws"
        assert socket["headers"]["upgrade"] == "websocket"
        assert socket["headers"]["connection"] == "upgrade"
    finally:
        nginx.stop()


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_site_redirects_and_serves_acme(tmp_path: Path, echo: int) -> None:
    https_port, http_port = free_port(), free_port()
    cert, key = self_signed(tmp_path)
    challenge = tmp_path / "acme" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / "tok").write_text("tok.thumb")
    values = site_values(tmp_path, echo, f"127.0.0.1:{https_port} ssl")
    values.update(NGINX_TLS_CERT=str(cert), NGINX_TLS_KEY=str(key), NGINX_REDIRECT_LISTEN=f"127.0.0.1:{http_port}")
    nginx = Nginx(tmp_path / "nginx", ["nginx.conf", "nginx.tls.conf"], values, [https_port, http_port])
    nginx.start()
    try:
        plain = f"http://127.0.0.1:{http_port}"
        moved = requests.get(f"{plain}/requests?page=2", allow_redirects=False, timeout=5)
        assert moved.status_code == 301
        assert moved.headers["Location"] == "https://127.0.0.1/requests?page=2"
        assert requests.get(f"{plain}/.well-known/acme-challenge/tok", timeout=5).text == "tok.thumb"

        secure = f"https://127.0.0.1:{https_port}"
        front = requests.get(f"{secure}/", verify=str(cert), timeout=5)
        assert front.status_code == 200
        assert front.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert front.headers["Content-Security-Policy"] == SPA_CSP
        api = requests.get(f"{secure}/api/v1/auth/healthz", verify=str(cert), timeout=5).json()
        assert api["headers"]["x-forwarded-proto"] == "https"
    finally:
        nginx.stop()


@pytest.mark.parametrize("site", ["nginx.conf", "nginx.openfaas.conf"])
def test_the_plex_webhook_secret_stays_out_of_the_error_log(tmp_path: Path, site: str) -> None:
    """nginx's error lines quote the request line; for the Plex webhook path (its secret is in it) only
    critical errors are logged, while other paths keep their error lines."""
    port, closed = free_port(), free_port()  # nothing listens on `closed`: every proxied call fails
    nginx = Nginx(tmp_path / "nginx", [site], site_values(tmp_path, closed, f"127.0.0.1:{port}"), [port])
    nginx.start()
    secret = "plexhooksecret0123456789abcdef"
    try:
        base = f"http://127.0.0.1:{port}"
        assert requests.post(f"{base}/api/v1/webhooks/plex/{secret}", data=b"x", timeout=5).status_code == 502
        assert requests.get(f"{base}/api/v1/media/recent?marker=1", timeout=5).status_code == 502
    finally:
        nginx.stop()
    errors = nginx.stderr.read_text()
    assert "/api/v1/media/recent?marker=1" in errors  # the error log works, and quotes request lines
    assert secret not in errors
