"""Take the screenshots of the analyst UI shown in the README (docs/screenshots/*.png).

Starts the service (``aslgraph serve``) on a free 127.0.0.1 port, opens each page in headless
Chromium (Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``, driven by selenium; no
driver download, no request leaves 127.0.0.1), 1400 px wide, and saves the whole page::

    python scripts/screenshots.py            # every page
    python scripts/screenshots.py matrix     # only those named

Exit status 0 on success, 2 when Chromium or its driver is missing.
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("ASLGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ASLGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH = 1400
MAX_HEIGHT = 1500
"""Pages longer than this are cut (the README shows the top of each)."""


def _run_query(driver: Any) -> None:
    """Run the example query in the editor and wait for its rows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 30)
    button = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton")))
    button.click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody tr")))


PAGES: dict[str, tuple[str, Callable[[Any], None] | None]] = {
    "home": ("/", None),
    "matrix": ("/crosswalk", None),
    "grid": ("/crosswalk/uk-fasc/gpai-cop", None),
    "coverage": ("/coverage/rsp/eu-ai-act", None),
    "entity": ("/id/eu-ai-act/art55-1-d", None),
    "query": ("/sparql", _run_query),
    "validate": ("/validate?example=invalid/gpai-sr-provider-with-gaps.ttl", None),
}
"""Screenshot name, the page's path and what to do on it before the picture."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving() -> Iterator[str]:
    """Run the service until the block ends; yields its base URL."""
    port = free_port()
    env = {**os.environ, "ASLGRAPH_ROOT": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "aslgraph", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the service did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def chrome_options(user_data: str) -> Any:
    """Headless Chromium that resolves no host but 127.0.0.1 and phones nowhere home."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WIDTH},1000",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={user_data}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


def screenshot(driver: Any, url: str, target: Path, action: Callable[[Any], None] | None) -> None:
    """Open ``url``, run ``action``, save the page (up to MAX_HEIGHT) as ``target``."""
    driver.get(url)
    if action is not None:
        action(driver)
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
    )
    height = min(int(height), MAX_HEIGHT)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    time.sleep(0.3)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}},
    )
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    target.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {target.relative_to(ROOT)} ({height} px high)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"pages: {', '.join(PAGES)} (default: all)"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in PAGES]
    if unknown:
        parser.error(f"unknown pages {unknown}; known: {', '.join(PAGES)}")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        print(f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian: chromium, chromium-driver)")
        return 2
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium: never download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    OUT.mkdir(parents=True, exist_ok=True)
    names = args.names or list(PAGES)
    with serving() as url, tempfile.TemporaryDirectory() as profile:
        driver = webdriver.Chrome(
            service=Service(executable_path=CHROMEDRIVER),
            options=chrome_options(profile),
        )
        try:
            for name in names:
                path, action = PAGES[name]
                screenshot(driver, url + path, OUT / f"{name}.png", action)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
