"""botplatform.safe_http against real local servers: the allowed fake API on 127.0.0.2, a forbidden one on 127.0.0.1."""

import contextlib
import datetime
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured

from botplatform import safe_http
from botplatform.safe_http import USER_AGENT, fetch_json


class FakeApi(BaseHTTPRequestHandler):
    """Answers by path: /echo, /redirect?to=..&status=.., /loop, /slow, /drip, /huge, /huge-declared, /html, /fail."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append({"method": self.command, "path": self.path, "host": self.headers["Host"]})
        path, _, query = self.path.partition("?")
        route = getattr(self, "route_" + path.strip("/").replace("-", "_"), self.route_missing)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as meant to
            route(parse_qs(query))

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def send_json(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_echo(self, query):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_json(200, {
            "method": self.command, "path": self.path, "host": self.headers["Host"],
            "user_agent": self.headers["User-Agent"], "content_type": self.headers["Content-Type"],
            "api_key": self.headers["X-Api-Key"], "body": json.loads(body) if body else None,
        })  # fmt: skip

    def route_redirect(self, query):
        self.send_response(int(query.get("status", ["302"])[0]))
        self.send_header("Location", query["to"][0])
        self.end_headers()

    def route_loop(self, query):
        self.send_response(302)
        self.send_header("Location", "/loop")
        self.end_headers()

    def route_slow(self, query):
        time.sleep(1.5)
        self.send_json(200, {"late": True})

    def route_drip(self, query):
        # Each byte comes well within the socket timeout; only an overall deadline stops this.
        self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for number in range(30):
            time.sleep(0.1)
            self.wfile.write(b"X-Drip: %d\r\n" % number)

    def route_huge(self, query):
        self.send_response(200)
        self.end_headers()  # no Content-Length: the size shows only while reading
        self.wfile.write(b"[")
        for _ in range(32):
            self.wfile.write(b"1," * 32 * 1024)
        self.wfile.write(b"1]")

    def route_huge_declared(self, query):
        self.send_response(200)
        self.send_header("Content-Length", str(5 * 1024 * 1024))
        self.end_headers()

    def route_html(self, query):
        body = b"<!doctype html><title>Shop</title><p>Hello</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_fail(self, query):
        self.send_json(500, {"error": "boom"})

    def route_empty(self, query):
        self.send_response(204)
        self.end_headers()

    def route_missing(self, query):
        self.send_json(404, {"error": "no such route"})


def serve(host, tls=None):
    server = ThreadingHTTPServer((host, 0), FakeApi)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.seen = []
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def url(server, path, host=None):
    return f"{server.scheme}://{host or server.server_address[0]}:{server.server_address[1]}{path}"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for api.example.test: (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.example.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("api.example.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pkcs8 = serialization.PrivateFormat.PKCS8
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, pkcs8, serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture(scope="module")
def servers(certificate):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*certificate)
    server_names = []
    tls.sni_callback = lambda sock, name, context: server_names.append(name)
    started = {"api": serve("127.0.0.2"), "internal": serve("127.0.0.1"), "tls_api": serve("127.0.0.2", tls)}
    for key, server in started.items():
        server.scheme = "https" if key == "tls_api" else "http"
    started["tls_api"].server_names = server_names
    yield started
    for server in started.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def allow_only_the_fake_api(settings, servers):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    for server in servers.values():
        server.seen.clear()


@pytest.fixture
def api(servers):
    return servers["api"]


@pytest.fixture
def internal(servers):
    return servers["internal"]


@pytest.fixture
def tls_api(servers, certificate, monkeypatch):
    monkeypatch.setattr(safe_http, "_TLS_CONTEXT", ssl.create_default_context(cafile=certificate[0]))
    servers["tls_api"].server_names.clear()
    return servers["tls_api"]


@pytest.fixture
def dns(monkeypatch):
    """Fake answers for chosen names: name -> list of answers (lists of IPs), used in turn, the last one repeating."""
    answers, real = {}, socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        ips = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ips]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def connections(monkeypatch):
    """Every (address, port) a TCP connection is opened to."""
    made, real = [], socket.create_connection

    def create_connection(address, *args, **kwargs):
        made.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return made


def test_it_gets_json_from_an_allowed_server(api):
    outcome = fetch_json("GET", url(api, "/echo?q=red shoes"))
    assert outcome.ok and outcome.status == 200 and outcome.error == ""
    assert outcome.json["path"] == "/echo?q=red%20shoes"
    assert outcome.json["user_agent"] == USER_AGENT
    assert outcome.json["host"] == f"127.0.0.2:{api.server_address[1]}"


def test_it_posts_a_json_body(api):
    outcome = fetch_json("post", url(api, "/echo"), body={"sku": "A-1", "quantity": 2}, headers={"X-Api-Key": "k1"})
    assert outcome.ok
    assert outcome.json["method"] == "POST" and outcome.json["body"] == {"sku": "A-1", "quantity": 2}
    assert outcome.json["content_type"] == "application/json" and outcome.json["api_key"] == "k1"


def test_it_refuses_loopback_that_is_not_allowed(internal, connections):
    outcome = fetch_json("GET", url(internal, "/echo"))
    assert not outcome.ok and outcome.status is None
    assert outcome.error == "Refused: the address 127.0.0.1 is private."
    assert connections == [] and internal.seen == []


def test_it_refuses_a_name_that_resolves_to_loopback(internal, connections):
    outcome = fetch_json("GET", url(internal, "/echo", host="localhost"))
    assert outcome.error.startswith("Refused: localhost points to the private address")
    assert connections == []


@pytest.mark.parametrize(
    "address",
    [
        "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.1/",
        "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/", "http://0.0.0.0/",
        "http://[::1]/", "http://[::]/", "http://[fe80::1]/", "http://[fc00::1]/", "http://2130706433/",
        "http://0x7f.1/", "http://127.1/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
        "http://[2002:7f00:1::]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[ff02::1]/", "https://127.0.0.3:8443/",
    ],
)  # fmt: skip
def test_it_refuses_internal_addresses_without_connecting(address, connections):
    outcome = fetch_json("GET", address)
    assert not outcome.ok
    assert outcome.error.startswith("Refused: ") and "private" in outcome.error
    assert connections == []


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("ftp://127.0.0.2/file", "Refused: only http and https addresses are allowed."),
        ("file:///etc/passwd", "Refused: only http and https addresses are allowed."),
        ("http://user:secret@127.0.0.2/", "Refused: the address must not contain a user name or password."),
        ("http://127.0.0.2:0/", "Refused: port 0 is not allowed."),
        ("http://127.0.0.2:99999/", "Refused: the address is not a valid URL."),
        ("http:///path-only", "Refused: the address has no valid host name."),
        ("http://shop\x00.example/", "Refused: the address has no valid host name."),
    ],
)
def test_it_refuses_addresses_it_cannot_check(address, error, connections):
    assert fetch_json("GET", address).error == error
    assert connections == []


def test_it_refuses_a_name_if_any_of_its_addresses_is_private(api, dns, connections):
    dns["mixed.example.test"] = [["127.0.0.2", "10.0.0.1"]]
    outcome = fetch_json("GET", url(api, "/echo", host="mixed.example.test"))
    assert outcome.error == "Refused: mixed.example.test points to the private address 10.0.0.1."
    assert connections == []


def test_it_connects_to_the_checked_address_even_if_the_name_rebinds(api, dns, connections):
    dns["api.example.test"] = [["127.0.0.2"], ["127.0.0.1"]]  # a second look-up would point inside
    outcome = fetch_json("GET", url(api, "/echo", host="api.example.test"))
    assert outcome.ok
    assert connections == [("127.0.0.2", api.server_address[1])]
    assert api.seen[0]["host"] == f"api.example.test:{api.server_address[1]}"


def test_it_refuses_a_redirect_to_a_private_address(api, internal):
    outcome = fetch_json("GET", url(api, "/redirect?" + urlencode({"to": url(internal, "/echo")})))
    assert outcome.error == "Refused: the address 127.0.0.1 is private."
    assert len(api.seen) == 1 and internal.seen == []


def test_it_refuses_a_redirect_to_another_scheme(api):
    outcome = fetch_json("GET", url(api, "/redirect?to=file:///etc/passwd"))
    assert outcome.error == "Refused: only http and https addresses are allowed."


def test_it_stops_a_redirect_loop_after_three_redirects(api):
    outcome = fetch_json("GET", url(api, "/loop"))
    assert not outcome.ok and outcome.error == "Stopped after 3 redirects."
    assert len(api.seen) == 4


@pytest.mark.parametrize(("status", "method"), [(302, "GET"), (303, "GET"), (307, "POST"), (308, "POST")])
def test_it_follows_a_redirect_on_the_same_server(api, status, method):
    outcome = fetch_json("POST", url(api, f"/redirect?to=/echo&status={status}"), body={"n": 1})
    assert outcome.ok and outcome.json["method"] == method
    assert outcome.json["body"] == ({"n": 1} if method == "POST" else None)


def test_it_keeps_the_callers_headers_for_the_same_host_only(api, dns):
    dns["api.example.test"] = [["127.0.0.2"]]
    same = fetch_json("GET", url(api, "/redirect?to=/echo"), headers={"X-Api-Key": "k1"})
    other = url(api, "/echo", host="api.example.test")
    elsewhere = fetch_json("GET", url(api, "/redirect?" + urlencode({"to": other})), headers={"X-Api-Key": "k1"})
    assert same.json["api_key"] == "k1"
    assert elsewhere.ok and elsewhere.json["api_key"] is None


def test_it_sets_host_and_refuses_headers_that_would_split_the_request(api):
    overridden = fetch_json("GET", url(api, "/echo"), headers={"Host": "internal.local", "User-Agent": "x"})
    assert overridden.json["host"] == f"127.0.0.2:{api.server_address[1]}"
    assert overridden.json["user_agent"] == USER_AGENT
    injected = fetch_json("GET", url(api, "/echo"), headers={"X-Note": "a\r\nX-Api-Key: stolen"})
    assert injected.error == "Refused: the header 'X-Note' is not valid."
    assert len(api.seen) == 1


def test_it_times_out_on_a_slow_server(api):
    started = time.monotonic()
    outcome = fetch_json("GET", url(api, "/slow"), timeout=0.4)
    assert outcome.error == "Timed out after 0.4 s."
    assert time.monotonic() - started < 1.0


def test_it_stops_a_server_that_drips_at_the_overall_deadline(api):
    started = time.monotonic()
    outcome = fetch_json("GET", url(api, "/drip"), timeout=0.4)
    assert outcome.error == "Timed out after 0.4 s."
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_it_cuts_an_answer_larger_than_a_megabyte(api, path):
    outcome = fetch_json("GET", url(api, path))
    assert not outcome.ok and outcome.error == "The answer was larger than 1 MB."


def test_it_reports_html_as_not_json(api):
    assert fetch_json("GET", url(api, "/html")) == safe_http.HttpOutcome(False, 200, None, "The answer was not JSON.")


def test_it_reports_a_server_error_with_its_status_and_body(api):
    outcome = fetch_json("GET", url(api, "/fail"))
    assert outcome == safe_http.HttpOutcome(False, 500, {"error": "boom"}, "The server answered with status 500.")


def test_it_accepts_an_empty_answer(api):
    assert fetch_json("DELETE", url(api, "/empty")) == safe_http.HttpOutcome(True, 204, None, "")


def test_it_reports_a_closed_port_without_raising(api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.2", 0))
        closed = probe.getsockname()[1]  # bound, never listening: connections are refused
        outcome = fetch_json("GET", f"http://127.0.0.2:{closed}/")
    assert outcome.error == f"Could not connect to 127.0.0.2:{closed}."


def test_it_refuses_unsupported_methods_bodies_and_timeouts(api):
    assert fetch_json("CONNECT", url(api, "/echo")).error == "Refused: the method CONNECT is not supported."
    assert fetch_json("POST", url(api, "/echo"), body={1, 2}).error == "The request body could not be written as JSON."
    assert fetch_json("GET", url(api, "/echo"), timeout=600).error.startswith("Refused: the timeout must be")
    assert api.seen == []


def test_it_verifies_the_certificate_against_the_host_name_not_the_pinned_address(tls_api, dns):
    dns["api.example.test"] = [["127.0.0.2"]]
    dns["other.example.test"] = [["127.0.0.2"]]
    outcome = fetch_json("GET", url(tls_api, "/echo", host="api.example.test"))
    assert outcome.ok and outcome.json["host"] == f"api.example.test:{tls_api.server_address[1]}"
    assert tls_api.server_names[0] == "api.example.test"
    for host in ("other.example.test", "127.0.0.2"):
        outcome = fetch_json("GET", url(tls_api, "/echo", host=host))
        assert outcome.error.startswith(f"Refused: the certificate of {host} is not valid")
    assert len(tls_api.seen) == 1


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_it_treats_public_addresses_as_public(address):
    import ipaddress

    assert safe_http._permitted(ipaddress.ip_address(address), allowed=())


def test_it_rejects_a_badly_configured_allowed_network(settings, api):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.2/24"]  # host bits set: a typo, not a network
    with pytest.raises(ImproperlyConfigured):
        fetch_json("GET", url(api, "/echo"))
