"""The service as its users meet it: `contraflow up` and curl, the dashboard in a real headless Chromium,
and the alert latency (publish → SSE client and webhook) on the embedded stack."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from streams.api.app import build_api
from streams.api.metrics import quantile
from streams.embedded import free_port
from streams.runner import Stack
from streams.settings import Settings
from tests.conftest import ROOT, SEEDS
from tests.http_helpers import ApiServer, Receiver, SSEReader, wait_for

pytestmark = pytest.mark.e2e
KILLED = "#slots tr.contradicted[data-slot^='killed']"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1300",
    "--hide-scrollbars",
]


def isolated(settings: Settings) -> Settings:
    tag = uuid.uuid4().hex[:8]
    return settings.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})


def seeds() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SEEDS.read_text().splitlines() if line.strip()]


def test_up_then_curl_an_article_and_the_contradiction_appears(tmp_path: Path) -> None:
    """docs/api.md's "Try it" steps: `contraflow up`, POST articles, GET the contradiction, Ctrl-C/SIGTERM."""
    port = free_port()
    env = isolated(Settings()).as_env()
    out, errf = open(tmp_path / "up.out", "w+"), open(tmp_path / "up.err", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "up", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=errf,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"up exited: {(tmp_path / 'up.err').read_text()[-3000:]}")
            try:
                return httpx.get(f"{base}/healthz", timeout=2).json().get("status") == "ok"
            except httpx.HTTPError:
                return False

        wait_for(healthy, timeout=300, every=0.3, what="contraflow up healthy")
        assert f"dashboard http://127.0.0.1:{port}/dashboard/" in (tmp_path / "up.out").read_text()
        body = tmp_path / "seeds.json"
        body.write_text(json.dumps(seeds()))
        if shutil.which("curl"):
            posted = subprocess.run(
                [
                    "curl",
                    "-s",
                    "-X",
                    "POST",
                    f"{base}/articles",
                    "-H",
                    "Content-Type: application/json",
                    "--data-binary",
                    f"@{body}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            accepted = json.loads(posted.stdout)
        else:
            accepted = httpx.post(
                f"{base}/articles", content=body.read_bytes(), headers={"Content-Type": "application/json"}
            ).json()
        assert len(accepted["ids"]) == 5

        def contradicted() -> list[dict[str, Any]]:
            return [e for e in httpx.get(f"{base}/events?has_contradictions=true").json()]

        events = wait_for(contradicted, timeout=300, every=0.5, what="a contradiction")
        homs = events[0]
        cons = httpx.get(f"{base}/events/{homs['id']}/contradictions").json()
        assert cons and any(c["slot"] == "killed" for c in cons)
        assert httpx.get(f"{base}/dashboard/").status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        out.close()
        errf.close()
    assert rc == 0, (tmp_path / "up.err").read_text()[-3000:]
    err = (tmp_path / "up.err").read_text()
    logdir = next(w for w in err.split() if "contraflow-" in w)
    assert not Path(logdir).exists(), "the stack cleaned up after itself"
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{base}/healthz", timeout=2)


@pytest.fixture(scope="module")
def service(servers: Settings) -> Iterator[tuple[Stack, str]]:
    """A Stack (worker on the session's servers) with the API in front of it."""
    # the webhook receiver listens on 127.0.0.1: allowed explicitly (the default refuses loopback targets)
    local = isolated(servers).model_copy(update={"webhook_allow_private": True})
    with Stack(local, workers=1) as stack, ApiServer(build_api(stack.settings)) as api:
        yield stack, api.url


def _chromium() -> Any:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver); .ci/run installs them"
        )
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def _red_pixels(png: Path) -> tuple[int, int, tuple[int, int]]:
    """Pixels of the contradiction highlight (#fdecea rows, #c62828 marks), distinct colours, and size."""
    from PIL import Image

    img = Image.open(png).convert("RGB")
    colours: list[tuple[int, tuple[int, int, int]]] = img.getcolors(maxcolors=1 << 20) or []  # type: ignore[assignment]
    red = sum(
        n
        for n, (r, g, b) in colours
        if (abs(r - 0xFD) < 4 and abs(g - 0xEC) < 4 and abs(b - 0xEA) < 4)
        or (abs(r - 0xC6) < 6 and abs(g - 0x28) < 6 and abs(b - 0x28) < 6)
    )
    return red, len(colours), img.size


def test_dashboard_updates_live_and_shows_the_contradiction(service: tuple[Stack, str], tmp_path: Path) -> None:
    """Real headless Chromium: the list updates without a reload, the event page highlights the contradiction."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    _, url = service
    driver = _chromium()
    try:
        driver.get(f"{url}/dashboard/")
        WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "events")))
        WebDriverWait(driver, 20).until(lambda d: "live" in d.find_element(By.ID, "live").text)
        driver.execute_script("window.__noReload = 42;")
        assert httpx.post(f"{url}/articles", json=seeds()).status_code == 202
        WebDriverWait(driver, 300, poll_frequency=0.5).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "tr.event-row .count.hot")
        )
        assert driver.execute_script("return window.__noReload;") == 42, "updated without a reload"
        list_png = tmp_path / "events.png"
        driver.save_screenshot(str(list_png))
        # the page repaints when data changes: read and act through single scripts, never stale handles
        driver.execute_script(
            "document.querySelector('tr.event-row .count.hot').closest('tr').querySelector('a').click();"
        )
        page = WebDriverWait(driver, 30, poll_frequency=0.3).until(
            lambda d: d.execute_script(
                """
            const row = document.querySelector(arguments[0]);
            if (!row || !document.querySelector('#contradictions .con')) return null;
            const sources = [...document.querySelectorAll('#slots thead th')].slice(1).map(th => th.textContent);
            const values = [...row.querySelectorAll('details.val summary')].map(s => s.textContent.trim());
            const quote = row.querySelector('details.val summary').getAttribute('title');
            return {sources, values, quote};""",
                KILLED,
            )
        )
        assert len(page["sources"]) >= 2, "one column per source"
        assert len({v.split(" per ")[0] for v in page["values"]}) >= 2, page["values"]
        assert page["quote"], "the quote shows on hover"
        support = driver.execute_script(
            "return [...document.querySelectorAll('#contradictions .support')].map(e => e.textContent);"
        )
        assert support and all(re.fullmatch(r"\d+ outlets?, \d+ origins?( \(.+\))?", t) for t in support), support
        assert WebDriverWait(driver, 10).until(
            lambda d: d.execute_script(
                "const q = document.querySelector(arguments[0] + ' details.val[open] .quote');"
                "return q && q.offsetParent !== null;",
                KILLED,
            )
        ), "and shown without a click"
        shown = driver.execute_script("""
            const con = document.querySelector('#contradictions .con');
            const ev = [...con.querySelectorAll('.evidence')];
            return {evidence: ev.length, visible: ev.every(e => e.querySelector('.quote').offsetParent !== null),
                    marked: con.querySelectorAll('.evidence mark').length,
                    points: con.querySelectorAll('svg.timeline circle').length,
                    times: ev.filter(e => / UTC|\\d{4}-\\d\\d-\\d\\d/.test(e.textContent)).length,
                    midnight: ev.filter(e => /00:00 UTC/.test(e.textContent)).length};""")
        assert shown["evidence"] >= 2 and shown["visible"], f"each side's quotes shown without hovering: {shown}"
        assert shown["marked"] >= 1 and shown["times"] >= 2, f"figures highlighted, publication times: {shown}"
        # the seeds' sources give dates without a time: shown as the date, never as midnight
        assert shown["midnight"] == 0, f"a date without a time is shown as a date: {shown}"
        assert shown["points"] >= 2, f"a timeline point per report: {shown}"
        driver.execute_script("window.scrollTo(0, 0);")
        time.sleep(0.3)
        event_png = tmp_path / "event.png"
        driver.save_screenshot(str(event_png))
    finally:
        driver.quit()
    for png, least in ((list_png, 150), (event_png, 5000)):
        red, colours, size = _red_pixels(png)
        assert size[0] >= 1000 and size[1] >= 700, size
        assert colours > 50, f"{png.name} is not blank"
        assert red > least, f"{png.name}: the contradiction highlight is visible ({red} px)"
    target = os.environ.get("CONTRAFLOW_SCREENSHOTS")
    if target:  # `CONTRAFLOW_SCREENSHOTS=docs pytest -k dashboard` refreshes the README's screenshots
        for png in (list_png, event_png):
            shutil.copy(png, Path(target) / f"dashboard-{png.name}")


def latency_articles(n: int) -> list[dict[str, Any]]:
    """``n + 1`` reports of one explosion, each with a death toll of its own: every one after the first
    gives the contradiction a new side, so raises one alert."""
    tag = uuid.uuid4().hex[:6]
    return [
        {
            "id": f"lat-{tag}-{k:03d}",
            "source": f"Outlet {k}",
            "published_at": "2024-03-04",
            "title": "Explosion at Springfield chemical plant",
            "body": f"An explosion at the Acme chemical plant in Springfield, Ohio, killed {10 + 3 * k} people on "
            f"Monday, the fire chief said. Rescue teams are searching the site.",
        }
        for k in range(n + 1)
    ]


def test_alert_latency_to_sse_and_webhook(service: tuple[Stack, str], capsys: pytest.CaptureFixture[str]) -> None:
    """Publish → alert at an SSE client and at a webhook, one article at a time (idle worker), 50 articles.

    Reports p50/p95/max; asserts only that the alerts arrive (not a timed assertion)."""
    _, url = service
    arts = latency_articles(50)
    with Receiver() as rx:
        got_hook: dict[str, float] = {}

        def hooked(headers: dict[str, str], body: bytes) -> None:
            got_hook.setdefault(json.loads(body)["article_id"], time.monotonic())

        rx.on_request = hooked
        sub = httpx.post(f"{url}/subscriptions", json={"url": rx.url}).json()
        sse = SSEReader(f"{url}/alerts/stream").start()
        time.sleep(1.5)  # the dispatcher picks the subscription up
        assert httpx.post(f"{url}/articles", json=arts[0]).status_code == 202  # opens the event (no alert)
        wait_for(lambda: httpx.get(f"{url}/events?q=Springfield").json(), timeout=120, what="warm-up article")
        sse_lat: list[float] = []
        hook_lat: list[float] = []
        missed = 0
        for art in arts[1:]:
            t0 = time.monotonic()
            assert httpx.post(f"{url}/articles", json=art).status_code == 202
            try:

                def arrived(a: dict[str, Any] = art) -> bool:
                    return any(e[1]["article_id"] == a["id"] for e in sse.events) and a["id"] in got_hook

                wait_for(
                    arrived,
                    timeout=20,
                    every=0.005,
                    what=f"alert for {art['id']}",
                )
            except TimeoutError:
                missed += 1
                continue
            sse_at = next(e[2] for e in sse.events if e[1]["article_id"] == art["id"])
            sse_lat.append(sse_at - t0)
            hook_lat.append(got_hook[art["id"]] - t0)
        sse.stop()
        status = httpx.get(f"{url}/subscriptions/{sub['id']}").json()["status"]
    report = {
        "articles": len(arts) - 1,
        "missed": missed,
        "sse_p50_s": round(statistics.median(sse_lat), 3),
        "sse_p95_s": round(quantile(sorted(sse_lat), 0.95), 3),
        "sse_max_s": round(max(sse_lat), 3),
        "webhook_p50_s": round(statistics.median(hook_lat), 3),
        "webhook_p95_s": round(quantile(sorted(hook_lat), 0.95), 3),
        "webhook_max_s": round(max(hook_lat), 3),
    }
    with capsys.disabled():
        print(f"\nalert latency (publish → client), {report['articles']} articles: {json.dumps(report)}")
    assert missed <= 5, report
    assert status["delivered"] >= len(hook_lat)


@pytest.mark.parametrize("command", ["serve", "up", "feeds"])
def test_service_commands_have_help(command: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "streams.cli", command, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0 and "Usage" in out.stdout


def test_feeds_command_polls_once(servers: Settings, tmp_path: Path) -> None:
    """`contraflow feeds FILE --once` against a local site: publishes, then skips what it published."""
    from tests.http_helpers import FileServer

    data = Path(__file__).resolve().parent.parent / "data" / "feeds"
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    shutil.copy(data / "world.atom", site / "world.atom")
    shutil.copy(data / "homs-toll.html", site / "news" / "homs-toll.html")
    env = isolated(servers).as_env()
    with FileServer(site) as fs:
        listing = tmp_path / "feeds.txt"
        listing.write_text(f"# test feeds\n{fs.url}/world.atom Harbour Post\n")
        cmd = [sys.executable, "-m", "streams.cli", "feeds", str(listing), "--once"]
        first = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        second = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "1 published" in first.stderr and "1 published" not in second.stderr
    assert "1 unchanged" in second.stderr


def test_serve_against_running_servers_and_sigterm(servers: Settings) -> None:
    """`contraflow serve` on the configured servers: healthy, takes an article, stops with exit 0 on SIGTERM."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=isolated(servers).as_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=2).json().get("status") == "ok"
            except httpx.HTTPError:
                return proc.poll() is not None and pytest.fail(
                    f"serve exited: {proc.stderr.read()[-2000:] if proc.stderr else ''}"
                )

        wait_for(healthy, timeout=120, every=0.2, what="serve healthy")
        assert httpx.post(f"{base}/articles", json={"source": "S", "body": "b"}).status_code == 202
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-2000:]
