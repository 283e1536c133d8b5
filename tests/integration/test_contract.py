"""The contract is the behaviour: schemathesis, with every check on, holds the running service
(the shipped ``aslgraph serve``) to its own OpenAPI document: statuses, media types, response
schemas, parameters and bodies it declares, the requests it must accept and those it must
refuse. What JSON Schema cannot state is said, with the reason, in
``contract/schemathesis.toml``; how to send ``application/sparql-query`` is in
``contract/st_hooks.py``.

The run is bounded (40 examples per operation and phase) and seeded, so that CI repeats the
same requests; set ``ASLGRAPH_CONTRACT_SEED`` to explore others. Hypothesis's ``too_slow``
health check is off: how fast this machine is must not decide the outcome.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

CONTRACT = Path(__file__).resolve().parent / "contract"
SEED = os.environ.get("ASLGRAPH_CONTRACT_SEED", "20261202")


def _schemathesis() -> list[str]:
    found = shutil.which("st", path=str(Path(sys.executable).parent))
    assert found is not None, "schemathesis is in the dev extra: pip install -e '.[dev]'"
    return [found]


def test_the_service_does_what_its_openapi_document_says(server: str) -> None:
    command = [
        *_schemathesis(),
        "--config-file",
        str(CONTRACT / "schemathesis.toml"),
        "run",
        f"{server}/openapi.json",
        "--checks",
        "all",
        "--seed",
        SEED,
        "--suppress-health-check",
        "too_slow",
        "--request-timeout",
        "60",
        "--no-color",
    ]
    env = {**os.environ, "PYTHONPATH": str(CONTRACT)}
    done = subprocess.run(
        command, cwd=CONTRACT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = done.stdout + done.stderr
    summary = output[output.rfind("SUMMARY") :] if "SUMMARY" in output else output[-4000:]
    print(summary)  # the figures for whoever reads the log
    assert done.returncode == 0, output[-20_000:]
    # POST /sparql with application/sparql-query is generated (st_hooks.py says how)
    assert "Serialization not possible" not in output, summary
    tested = re.search(r"Tested: (\d+)", output)
    assert tested is not None and int(tested.group(1)) >= 19, summary  # every operation
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases is not None and cases.group(1) == cases.group(2), summary
