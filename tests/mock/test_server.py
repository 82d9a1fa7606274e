"""The real server: ``python -m specforge mock`` in a subprocess, spoken to over HTTP on a loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from mock_support import CORPUS, PETSTORE3, REPO, Server, free_port

ORIGIN = "http://localhost:5173"


def call(url: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serves_examples_generated_data_and_errors_over_http(petstore_server):
    status, headers, body = call(petstore_server.url + "/pets")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [p["name"] for p in json.loads(body)] == ["Rex", "Tom"]
    assert headers["Server"].startswith("gunicorn")  # a production server, not Flask's development server
    status, _, body = call(petstore_server.url + "/pets/mine", headers={"Authorization": "Bearer secret"})
    assert status == 200 and len(json.loads(body)) == 10
    status, headers, _ = call(petstore_server.url + "/pets", method="DELETE")
    assert status == 405 and headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    status, _, _ = call(petstore_server.url + "/pets/mine", headers={"Authorization": "Bearer wrong"})
    assert status == 401


def test_nul_byte_body_is_answered_fast(petstore_server):
    started = time.perf_counter()
    status, _, body = call(petstore_server.url + "/store/orders", "POST", {"Content-Type": "application/json"},
                           b'{"petId": \x00}')
    assert status == 400 and json.loads(body)["errors"][0]["location"] == ["body"]
    assert time.perf_counter() - started < 1


def test_browser_style_cors_preflight_then_credentialed_request(petstore_server):
    status, headers, _ = call(petstore_server.url + "/pets", "OPTIONS", {
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-api-key"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-api-key"
    # What the browser does next: the credentialed request, with cookies, from the same origin.
    status, headers, body = call(petstore_server.url + "/pets", "POST", {
        "Origin": ORIGIN, "Cookie": "session=abc", "Content-Type": "application/json", "X-API-Key": "secret"},
        b'{"name": "Rex"}')
    assert status == 201 and json.loads(body)["id"] == 42
    assert headers["Access-Control-Allow-Origin"] == ORIGIN  # never "*" with credentials
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Access-Control-Expose-Headers"] == "Location"


def test_one_log_line_per_request_with_the_choice_and_the_violations(petstore_server):
    call(petstore_server.url + "/pets?limit=3")
    call(petstore_server.url + "/pets?limit=0&__marker=1")
    time.sleep(0.3)
    lines = petstore_server.log().splitlines()
    ok = [line for line in lines if line.startswith("GET /v1/pets?limit=3 ")]
    assert ok[-1].startswith("GET /v1/pets?limit=3 -> 200 application/json example 'two-pets'; lowest declared 2xx")
    bad = [line for line in lines if "__marker=1" in line]
    assert len(bad) == 1 and "-> 400 rejected" in bad[0] and "query.limit: 0 is less than the minimum of 1" in bad[0]


def test_seed_gives_the_same_bodies_across_restarts():
    bodies = []
    for _ in range(2):
        server = Server(PETSTORE3, "--seed", "42", "--dynamic", base="/v1")
        try:
            bodies.append([call(server.url + path)[2] for path in ("/pets?limit=2", "/store/inventory")])
        finally:
            server.stop()
    assert bodies[0] == bodies[1]
    assert bodies[0][0] != bodies[0][1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "specforge", "mock", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=30)


def test_unloadable_spec_exits_2_with_one_line_before_binding(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\npaths: [\n")
    for spec in (str(broken), str(tmp_path / "missing.yaml")):
        result = _run(spec, "--port", str(free_port()))
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("specforge: error: ")
        assert "Traceback" not in result.stderr


def test_port_in_use_exits_2_with_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(str(PETSTORE3), "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == f"specforge: error: port {port} on 127.0.0.1 is already in use" \
        " (choose another with --port)"


def test_watch_in_the_real_server_reloads_and_logs_why_a_broken_spec_is_ignored(tmp_path):
    spec = tmp_path / "api.yaml"
    text = PETSTORE3.read_text()
    spec.write_text(text)
    server = Server(spec, "--watch", base="/v1")
    try:
        assert call(server.url + "/store/inventory")[0] == 200
        spec.write_text(text.replace("/store/inventory:", "/store/stock:"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and call(server.url + "/store/stock")[0] != 200:
            time.sleep(0.2)
        assert call(server.url + "/store/stock")[0] == 200
        spec.write_text("openapi: 3.0.3\npaths: [\n")
        time.sleep(1.5)
        assert call(server.url + "/store/stock")[0] == 200
        assert "reload failed; still serving the previous spec" in server.log()
        assert "not valid YAML or JSON" in server.log()
    finally:
        server.stop()


@pytest.mark.parametrize("option", [["--log-format", "json"]])
def test_json_log_lines(tmp_path, option):
    server = Server(PETSTORE3, *option, base="/v1")
    try:
        call(server.url + "/pets/5")
        time.sleep(0.3)
        records = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
        request = [r for r in records if r.get("path") == "/v1/pets/5"][-1]
        assert request["method"] == "GET" and request["status"] == 200
        assert request["response"] == "application/json example 'rex'; lowest declared 2xx"
    finally:
        server.stop()


def test_unknown_locale_exits_2_with_a_hint():
    result = _run(str(PETSTORE3), "--locale", "de_XX", "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr.startswith("specforge: error: unknown locale 'de_XX'; did you mean de, de_AT, de_CH, de_DE")


def test_the_mock_command_module_defers_heavy_imports():
    code = ("import sys, specforge.cli, specforge.cli.mock; "
            "print(sorted(m for m in ('flask', 'faker', 'werkzeug', 'jsonschema', 'gunicorn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_request_timeout_that_is_not_a_positive_number_exits_2(value):
    result = _run(str(PETSTORE3), "--request-timeout", value, "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--request-timeout': ")


def test_a_server_whose_package_is_missing_exits_2_with_the_install_hint():
    import importlib.util

    missing = next((s for s in ("waitress", "gunicorn") if importlib.util.find_spec(s) is None), None)
    if missing is None:
        pytest.skip("both servers are installed here: nothing is missing")
    server = "waitress" if missing == "waitress" else "gunicorn-sync"
    result = _run(str(PETSTORE3), "--server", server, "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr == f"specforge: error: --server {server} needs the {missing} package: pip install {missing}\n"


def test_ctrl_c_stops_the_server_and_its_workers_cleanly():
    server = Server(CORPUS / "openapi3" / "spotify-web-api.yaml", "--workers", "2")
    try:
        for target in ("/albums/1", "/me/playlists", "/browse/categories", "/nope"):
            try:
                urllib.request.urlopen(server.url + target, timeout=30).read()
            except urllib.error.HTTPError as answer:
                assert answer.code < 500, target
        assert server.interrupt() == 0
        log = server.log()
    finally:
        server.stop()
    assert "Traceback" not in log and "SIGKILL" not in log, log
