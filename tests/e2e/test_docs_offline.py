"""Issue 23: ``/docs`` (Swagger UI) and ``/redoc`` render in headless Chromium with every host but 127.0.0.1
unreachable: their assets come from the package, not a CDN."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from streams.api.app import create_api
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store.memory import MemoryStore
from tests.e2e.test_service import CHROME_FLAGS, CHROMEDRIVER, CHROMIUM
from tests.http_helpers import ApiServer

pytestmark = pytest.mark.e2e
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
"""Every host name fails to resolve (a CDN among them); only the API on 127.0.0.1 answers."""


@pytest.fixture
def offline_browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("Debian's chromium and chromium-driver are not installed; .ci/run installs them")
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in [*CHROME_FLAGS, OFFLINE]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def api_url() -> Iterator[str]:
    with ApiServer(create_api(Settings(alert_poll=0.05), MemoryStore(), ListSink(), dispatch=False)) as api:
        yield api.url


def test_docs_render_with_the_network_blocked(offline_browser: Any, api_url: str) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver = offline_browser
    with pytest.raises(WebDriverException, match="ERR_NAME_NOT_RESOLVED"):  # no CDN for this browser
        driver.get("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js")
    driver.get(f"{api_url}/docs")
    ops = WebDriverWait(driver, 30, poll_frequency=0.3).until(
        lambda d: d.execute_script(
            "const ops = [...document.querySelectorAll('.swagger-ui .opblock-summary-path')].map(e => e.textContent);"
            "return ops.length ? ops : null;"
        )
    )
    assert "/articles" in " ".join(ops) and "/events/{event_id}/history" in " ".join(ops), ops
    assert driver.execute_script("return document.querySelector('.swagger-ui .title').textContent").startswith(
        "contraflow"
    )
    driver.get(f"{api_url}/redoc")
    text = WebDriverWait(driver, 30, poll_frequency=0.3).until(
        lambda d: d.execute_script("const t = document.body.innerText; return t.includes('/articles') ? t : null;")
    )
    assert "contraflow" in text
