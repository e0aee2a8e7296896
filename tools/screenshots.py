"""Take the README's dashboard screenshots from the demo athlete (docs/images/*.png).

Run after `make demo SERVE=0`: ``.venv/bin/python tools/screenshots.py``. Uses Debian's
chromium through Playwright; no network.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / ".demo" / "demo.sqlite3"
OUT = ROOT / "docs" / "images"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    if not DB.exists():
        sys.exit("run `make demo SERVE=0` first")
    port = free_port()
    exe = Path(sys.executable).with_name("backstride")
    server = subprocess.Popen([str(exe), "--db", str(DB), "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/")
            page.screenshot(path=str(OUT / "overview.png"), full_page=False)
            page.goto(base + "/activities?sort=elevation&order=desc")
            link = page.locator("a[href^='/activities/']").first
            href = link.get_attribute("href")
            page.goto(base + (href or "/activities/1"))
            page.screenshot(path=str(OUT / "activity-detail.png"), full_page=False)
            page.goto(base + "/today")
            page.screenshot(path=str(OUT / "today.png"), full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote {OUT}/overview.png, activity-detail.png, today.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
