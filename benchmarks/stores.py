"""Remote SPARQL stores for the benchmarks: Oxigraph server and Virtuoso as real processes on
free 127.0.0.1 ports, filled with ``aslgraph load --store`` (decision 0016).

``remote_store(name)`` yields the environment an aslgraph process needs to serve from it
(``ASLGRAPH_STORE_URL`` and, for Virtuoso, the dba credentials the load uses). Virtuoso comes
from the Debian package ``virtuoso-opensource-7-bin``; a store whose program is missing is
skipped by the caller (:func:`available`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
VIRTUOSO_INI = ROOT / "tests" / "fixtures" / "virtuoso" / "virtuoso.ini"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available(name: str) -> bool:
    """Whether the store's program is installed."""
    if name == "oxigraph":
        return OXIGRAPH.exists()
    return shutil.which("virtuoso-t") is not None


def _wait(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def remote_store(name: str) -> Iterator[tuple[dict[str, str], float]]:
    """Start store ``name`` (``oxigraph`` or ``virtuoso``), load it; yield (environment,
    seconds the load took); stop it at the end."""
    with tempfile.TemporaryDirectory(prefix=f"aslgraph-{name}-") as scratch:
        folder = Path(scratch)
        port = _free_port()
        env: dict[str, str]
        if name == "oxigraph":
            command = [str(OXIGRAPH), "serve", "--location", str(folder), "--bind",
                       f"127.0.0.1:{port}"]  # fmt: skip
            url = f"http://127.0.0.1:{port}/query"
            env = {"ASLGRAPH_STORE_URL": url}
        else:
            ini = folder / "virtuoso.ini"
            ini.write_text(
                VIRTUOSO_INI.read_text(encoding="utf-8")
                .replace("{dir}", str(folder))
                .replace("{sql_port}", str(_free_port()))
                .replace("{http_port}", str(port)),
                encoding="utf-8",
            )
            command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
            url = f"http://127.0.0.1:{port}/sparql"
            env = {
                "ASLGRAPH_STORE_URL": url,
                "ASLGRAPH_STORE_USER": "dba",
                "ASLGRAPH_STORE_PASSWORD": "dba",
            }
        process = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait(url)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "aslgraph", "load", "--quiet"],
                env={**os.environ, **env},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            yield env, time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
