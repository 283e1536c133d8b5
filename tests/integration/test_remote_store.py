"""The service over real remote SPARQL stores (issue 13, decision 0016).

Each engine is started once for the module, on free 127.0.0.1 ports: Oxigraph server (``oxigraph
serve``, from PyPI) and OpenLink Virtuoso (``virtuoso-t`` with tests/fixtures/virtuoso/
virtuoso.ini; skipped locally when it is not installed, a failure in CI). ``aslgraph load
--store`` fills each; ``aslgraph serve`` (ASLGRAPH_STORE_URL) serves from it. Then:

- the differential test: the same REST, SPARQL Protocol, posture and validation requests give
  identical answers from the embedded store, Oxigraph server and Virtuoso;
- ``serve`` refuses a store without a marker (exit 2, a clear message);
- a slow store (a small delaying proxy in front of Oxigraph) is bounded by the time budget;
- the store stopped mid-run gives 503 naming it, and the service recovers when it is back;
- two replicas over one store see a reload without a restart (the answer caches are keyed by
  the store's version marker).
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from integration.conftest import ROOT, RunningServer, free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")
INI = ROOT / "tests" / "fixtures" / "virtuoso" / "virtuoso.ini"
CHECK_SECONDS = "0.3"
"""How often the servers under test read the store's marker."""
EXAMPLE = ROOT / "examples" / "valid" / "gpai-sr-provider-relying-on-rsp.ttl"
TURTLE = {"content-type": "text/turtle"}
RELOADED_LABEL = "Anthropic Responsible Scaling Policy (reloaded)"


# ---------------------------------------------------------------- the engines


@dataclass
class Engine:
    """A store process: its SPARQL query URL and how to (re)start it."""

    name: str
    url: str
    start: Callable[[], subprocess.Popen[bytes]]
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    """What an aslgraph process needs to reach it (URL, credentials)."""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.process = self.start()
        _wait_for(self.url, self.process)


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    """Wait until the store answers ``ASK {}``."""
    deadline = time.monotonic() + timeout
    ask = url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the store exited with {process.returncode}")
        try:
            with urllib.request.urlopen(ask, timeout=2) as response:  # noqa: S310 - a local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the store at {url} did not answer within {timeout} s")


def _aslgraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aslgraph", *args],
        env={**os.environ, "ASLGRAPH_ROOT": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _load(engine: Engine, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    done = _aslgraph("load", "--quiet", env={**engine.env, "ASLGRAPH_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    url = f"http://127.0.0.1:{port}/query"
    engine = Engine("oxigraph", url, start, start(), {"ASLGRAPH_STORE_URL": url})
    try:
        _wait_for(url, engine.process)
        _load(engine)
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if VIRTUOSO is None:
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t is not installed (.ci/run installs virtuoso-opensource-7-bin)")
        pytest.skip("virtuoso-t is not installed (Debian: virtuoso-opensource-7-bin)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        INI.read_text(encoding="utf-8")
        .replace("{dir}", str(folder))
        .replace("{sql_port}", str(sql_port))
        .replace("{http_port}", str(http_port)),
        encoding="utf-8",
    )

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    url = f"http://127.0.0.1:{http_port}/sparql"
    env = {
        "ASLGRAPH_STORE_URL": url,
        "ASLGRAPH_STORE_USER": "dba",
        "ASLGRAPH_STORE_PASSWORD": "dba",
    }
    engine = Engine("virtuoso", url, start, start(), env)
    try:
        _wait_for(url, engine.process)
        _load(engine)
        yield engine
    finally:
        engine.stop()


def _serve(server_factory: Callable[..., RunningServer], engine: Engine, **extra: str) -> str:
    env = {
        **engine.env,
        "ASLGRAPH_STORE_CHECK_SECONDS": CHECK_SECONDS,
        "ASLGRAPH_VALIDATION_WORKERS": "1",
        **extra,
    }
    return str(server_factory(env).url)


@pytest.fixture(scope="module")
def on_oxigraph(server_factory: Callable[..., RunningServer], oxigraph: Engine) -> str:
    return _serve(server_factory, oxigraph)


@pytest.fixture(scope="module")
def on_virtuoso(server_factory: Callable[..., RunningServer], virtuoso: Engine) -> str:
    return _serve(server_factory, virtuoso)


# ---------------------------------------------------------------- the differential test

PREFIXES = (
    "PREFIX asl: <https://w3id.org/aslgraph/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
SPARQL = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "levels": PREFIXES
    + "SELECT ?level ?label WHERE { ?level a asl:SafetyLevel ; rdfs:label ?label } "
    "ORDER BY ?level ?label",
    "ask": PREFIXES + "ASK { ?x a asl:SafetyLevel }",
    "ask-false": PREFIXES + "ASK { ?x a asl:NoSuchClass }",
    "construct": PREFIXES
    + "CONSTRUCT { ?l rdfs:label ?label } WHERE { ?l a asl:SafetyLevel ; rdfs:label ?label }",
    "from": PREFIXES  # noqa: S608 - SPARQL, not SQL
    + "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/aslgraph/graph/ontology/aslgraph.ttl> "
    "WHERE { ?s ?p ?o }",
    "path": PREFIXES + "SELECT ?c WHERE { ?c rdfs:subClassOf* asl:Provision } ORDER BY ?c",
}
REST = [
    "/api/instruments",
    "/api/provisions?scheme=eu-ai-act&size=20",
    "/api/provisions/eu-ai-act/art55-1-d",
    "/api/tiers",
    "/api/tiers/ASL-3",
    "/api/crosswalk?from=rsp:ASL3-SS&to=eu-ai-act",
    "/api/coverage?from=rsp&to=gpai-cop",
    "/api/obligations?role=gpai-sr-provider&as_of=2025-09-01",
    "/api/provisions/eu-ai-act/art999",
    "/id/rsp/ASL-3",
]


def _requests() -> list[tuple[str, str, dict[str, str], bytes | None, dict[str, str]]]:
    """(id, method and path, query parameters, body, headers) of every request compared."""
    out: list[tuple[str, str, dict[str, str], bytes | None, dict[str, str]]] = [
        (path, "GET " + path, {}, None, {}) for path in REST
    ]
    out += [(f"sparql-{k}", "GET /sparql", {"query": q}, None, {}) for k, q in SPARQL.items()]
    out += [
        (
            "sparql-csv",
            "GET /sparql",
            {"query": SPARQL["levels"]},
            None,
            {"accept": "text/csv"},
        ),
        (
            "sparql-dataset",
            "GET /sparql",
            {
                "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                "default-graph-uri": "https://w3id.org/aslgraph/graph/ontology/aslgraph.ttl",
            },
            None,
            {},
        ),
        ("sparql-update", "GET /sparql", {"query": "DROP ALL"}, None, {}),
        (
            "sparql-unknown-graph",
            "GET /sparql",
            {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"},
            None,
            {},
        ),
        ("posture", "POST /api/posture", {}, EXAMPLE.read_bytes(), TURTLE),
        ("validate", "POST /api/validate", {}, EXAMPLE.read_bytes(), TURTLE),
    ]
    return out


REQUESTS = _requests()


def _answer(
    base: str, method_path: str, params: dict[str, str], body: bytes | None, headers: dict[str, str]
) -> tuple[int, str, object]:
    method, path = method_path.split(" ", 1)
    response = httpx.request(
        method, base + path, params=params or None, content=body, headers=headers, timeout=120
    )
    kind = response.headers.get("content-type", "").split(";")[0]
    if "json" in kind:
        value: object = response.json()
        if isinstance(value, dict) and "instance" in value:
            value.pop("instance")
    elif kind in ("text/turtle", "application/n-triples"):
        value = sorted(response.text.splitlines())
    else:
        value = response.text
    return response.status_code, kind, value


@pytest.fixture(scope="module")
def embedded_answers(server: str) -> dict[str, tuple[int, str, object]]:
    return {rid: _answer(server, *rest) for rid, *rest in REQUESTS}


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_the_same_requests_get_the_same_answers_from_every_store(
    engine: str,
    embedded_answers: dict[str, tuple[int, str, object]],
    request: pytest.FixtureRequest,
) -> None:
    base = request.getfixturevalue(f"on_{engine}")
    different = []
    for rid, *rest in REQUESTS:
        got = _answer(base, *rest)
        if got != embedded_answers[rid]:
            different.append(
                f"{rid}: embedded {embedded_answers[rid]!s:.300} / {engine} {got!s:.300}"
            )
    statuses = {rid: answer[0] for rid, answer in embedded_answers.items()}
    assert statuses["sparql-update"] == 400
    assert statuses["sparql-unknown-graph"] == 400
    assert statuses["/api/provisions/eu-ai-act/art999"] == 404
    assert sum(status == 200 for status in statuses.values()) >= len(REQUESTS) - 3
    assert different == []


def test_virtuosos_own_functions_and_pragmas_never_reach_it(on_virtuoso: str) -> None:
    for query, kind in (
        ('SELECT (bif:length("abc") AS ?n) WHERE {}', "query-refused"),
        ('define input:grab-all "yes" SELECT * WHERE { ?s ?p ?o } LIMIT 1', "query-syntax"),
    ):
        answer = httpx.get(on_virtuoso + "/sparql", params={"query": query})
        assert answer.status_code == 400, answer.text
        assert answer.json()["type"].endswith("/" + kind)


def test_health_names_the_store_version(on_oxigraph: str, server: str) -> None:
    remote = httpx.get(on_oxigraph + "/health").json()
    embedded = httpx.get(server + "/health").json()
    assert remote["store_version"].startswith("sha256:")
    assert embedded["store_version"] is None
    assert remote["triples"] == embedded["triples"]
    assert remote["files"] == embedded["files"]


# ---------------------------------------------------------------- refusing a store


def test_serve_refuses_a_store_without_a_marker(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(tmp_path), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_for(url, process)
        done = _aslgraph("serve", "--port", str(free_port()), "--store", url, env={})
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert done.returncode == 2
    assert "holds no aslgraph version marker" in done.stderr
    assert "aslgraph load --store" in done.stderr


def test_serve_refuses_a_store_that_does_not_answer() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    done = _aslgraph("serve", "--port", str(free_port()), "--store", url, env={})
    assert done.returncode == 2
    assert "cannot be reached" in done.stderr


# ---------------------------------------------------------------- loading


def test_a_load_replaces_what_it_loaded_before_by_gsp_or_by_update(
    tmp_path: Path, server: str
) -> None:
    from aslgraph.config import Settings
    from aslgraph.remote.store import RemoteStore

    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    embedded = httpx.get(server + "/health").json()
    try:
        _wait_for(url, process)
        by_update = {
            "ASLGRAPH_STORE_URL": url,
            "ASLGRAPH_STORE_DIALECT": "generic",  # no Graph Store URL: SPARQL Update
            "ASLGRAPH_STORE_UPDATE_URL": f"http://127.0.0.1:{port}/update",
        }
        first = _aslgraph("load", "--quiet", env=by_update)
        assert first.returncode == 0, first.stderr
        store = RemoteStore.open(Settings(store_url=url))
        assert (len(store), len(store.sources)) == (embedded["triples"], embedded["files"])
        version = store.version

        again = _aslgraph("load", "--quiet", env={"ASLGRAPH_STORE_URL": url})  # GSP PUT
        assert again.returncode == 0, again.stderr
        store = RemoteStore.open(Settings(store_url=url))
        assert len(store) == embedded["triples"]  # replaced, not added
        assert store.version == version

        root = tmp_path / "root"
        for folder in ("ontology", "data", "shapes", "queries"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "data" / "agents.ttl").unlink()
        fewer = _aslgraph(
            "load", "--quiet", env={"ASLGRAPH_STORE_URL": url, "ASLGRAPH_ROOT": str(root)}
        )
        assert fewer.returncode == 0, fewer.stderr
        assert "1 old graphs removed" in fewer.stdout
        store = RemoteStore.open(Settings(store_url=url))
        assert len(store.sources) == embedded["files"] - 1
        assert "data/agents.ttl" not in {source.relative for source in store.sources}
        assert store.version != version
    finally:
        process.terminate()
        process.wait(timeout=20)


# ---------------------------------------------------------------- a slow store


class _DelayingProxy(http.server.ThreadingHTTPServer):
    """Forwards every request to ``target``; a body holding ``SLOW`` waits ``delay`` s first."""

    daemon_threads = True

    def __init__(self, target: str, delay: float):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.target = target
        self.delay = delay


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _DelayingProxy

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if b"SLOW" in body:
            time.sleep(self.server.delay)
        request = urllib.request.Request(  # noqa: S310 - the local store
            self.server.target + self.path,
            data=body,
            method="POST",
            headers={
                k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                data, status = answer.read(), answer.status
                kind = answer.headers.get("content-type", "")
        except OSError:
            return
        try:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            return  # the client gave up waiting

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_slow_store_is_bounded_by_the_query_budget(
    oxigraph: Engine, server_factory: Callable[..., RunningServer]
) -> None:
    proxy = _DelayingProxy(oxigraph.url.removesuffix("/query"), delay=6.0)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}/query"
        engine = Engine("proxy", url, oxigraph.start, oxigraph.process, {"ASLGRAPH_STORE_URL": url})
        base = _serve(server_factory, engine, ASLGRAPH_QUERY_TIMEOUT="1.5")
        slow = httpx.get(
            base + "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SLOW"},
            timeout=30,
        )
        fast = httpx.get(base + "/sparql", params={"query": SPARQL["count"]}, timeout=30)
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert slow.status_code == 503, slow.text
    assert slow.json()["type"].endswith("/query-timeout")
    assert "1.5 s" in slow.json()["detail"]
    assert fast.status_code == 200
    assert fast.json()["results"]["bindings"][0]["n"]["value"] == str(
        httpx.get(base + "/health").json()["triples"]
    )


# ---------------------------------------------------------------- the store goes away


def _until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_store_that_goes_away_gives_503_and_the_service_recovers(
    oxigraph: Engine, on_oxigraph: str
) -> None:
    path = on_oxigraph + "/api/tiers/ASL-3"
    before = httpx.get(path)
    assert before.status_code == 200
    oxigraph.stop()
    try:
        assert _until(lambda: httpx.get(path).status_code == 503)
        away = httpx.get(path)
        query = httpx.get(on_oxigraph + "/sparql", params={"query": SPARQL["ask"]})
        ready = httpx.get(on_oxigraph + "/health/ready")
        alive = httpx.get(on_oxigraph + "/health")
    finally:
        oxigraph.restart()
    assert away.json()["type"].endswith("/store-unavailable")
    assert oxigraph.url in away.json()["detail"]
    assert away.headers["retry-after"]
    assert query.status_code == 503
    assert ready.status_code == 503
    assert any("store" in reason for reason in ready.json()["reasons"])
    assert alive.status_code == 200  # liveness: do not restart the process for this
    assert _until(lambda: httpx.get(path).status_code == 200)
    assert httpx.get(path).json() == before.json()
    again = httpx.get(on_oxigraph + "/sparql", params={"query": SPARQL["ask"]})
    assert again.status_code == 200
    assert again.json()["boolean"] is True


# ---------------------------------------------------------------- replicas and a reload


def _rsp_label(base: str) -> str | None:
    items = httpx.get(base + "/api/instruments").json()["items"]
    return next((i["label"] for i in items if i["curie"] == "rsp:RSP"), None)


def _sparql_label(base: str) -> str:
    query = (
        "SELECT ?l WHERE { <https://w3id.org/aslgraph/id/rsp/RSP> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )
    rows = httpx.get(base + "/sparql", params={"query": query}).json()["results"]["bindings"]
    return str(rows[0]["l"]["value"]) if rows else ""


def test_two_replicas_see_a_reload_without_a_restart(
    oxigraph: Engine,
    on_oxigraph: str,
    server_factory: Callable[..., RunningServer],
    tmp_path: Path,
) -> None:
    replicas = [on_oxigraph, _serve(server_factory, oxigraph)]
    original = "Anthropic Responsible Scaling Policy"
    for base in replicas:  # answered, and so kept in each replica's answer caches
        assert _rsp_label(base) == original
        assert _sparql_label(base) == original
    versions = {httpx.get(base + "/health").json()["store_version"] for base in replicas}
    assert len(versions) == 1

    root = tmp_path / "root"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    changed = [
        path
        for path in (root / "data").rglob("*.ttl")
        if f'"{original}"@en' in path.read_text(encoding="utf-8")
    ]
    assert changed, "the RSP's label is in some data file"
    for path in changed:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(f'"{original}"@en', f'"{RELOADED_LABEL}"@en'), encoding="utf-8"
        )
    _load(oxigraph, root)

    for base in replicas:
        assert _until(lambda base=base: _rsp_label(base) == RELOADED_LABEL), base
        assert _sparql_label(base) == RELOADED_LABEL
    after = {httpx.get(base + "/health").json()["store_version"] for base in replicas}
    assert len(after) == 1
    assert after != versions
    # a validation worker rebuilds its catalog over the new load before its next job
    validated = httpx.post(
        replicas[0] + "/api/validate", content=EXAMPLE.read_bytes(), headers=TURTLE, timeout=120
    )
    assert validated.status_code == 200, validated.text
    assert validated.json()["conforms"] is True
