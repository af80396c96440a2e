"""Browser tests: Playwright (Python) driving Debian's Chromium, axe-core from npm.

No browser download: the set-up installs the `chromium` package and we launch it by path."""

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
# Scripts for element.evaluate: how many lines the element's words take; true when one (not broken).
LINE_COUNT = (
    "e => { const r = document.createRange(); r.selectNodeContents(e);"
    " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
)
ONE_LINE = f"e => ({LINE_COUNT})(e) === 1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


class OneRequestAtATime:
    """WSGI wrapper: the live server answers one request at a time.

    On SQLite the test server's threads share the test's single in-memory connection (Django
    passes it to them), and two requests at once on it fail ("bad parameter or other API
    misuse"): a page's in-place update racing a download or the next form. In production each
    request has its own connection, so this is the test server's limit, not the product's.
    The lock is held until the response is closed, where Django's request_finished handlers
    still use the connection."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            response = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleasedOnClose(response, self.lock)


class _ReleasedOnClose:
    def __init__(self, response, lock):
        self.response, self.lock = response, lock

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session")
def live_server(live_server):
    if live_server.thread.connections_override:
        server = live_server.thread.httpd
        server.set_app(OneRequestAtATime(server.get_app()))
    return live_server


@pytest.fixture(scope="session")
def browser(live_server):
    """Chromium for the session. It asks for the live server so that it closes first: its
    keep-alive connections then end while the server still shares the test's connection
    (closed after, they made the server's threads fail on it, a warning per connection)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test` (it installs the Debian package chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # The app's Content-Security-Policy must hold for everything it serves: collect violations.
    page.csp_violations = []
    page.on(
        "console", lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, user, password: str = TEST_PASSWORD) -> None:
    """Log in through the real form, by keyboard like a user would."""
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_label("パスワード").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """Run axe-core in the page; returns the violations (id, impact, help, targets)."""
    # Injected through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern (a <script> tag added by the test would be refused, as it should be).
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page, name: str) -> None:
    # A click that follows a link returns once the next page starts loading: check it whole.
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert violations == [], f"axe violations on {name}:\n{json.dumps(violations, ensure_ascii=False, indent=1)}"
    assert page.csp_violations == [], f"Content-Security-Policy violations on {name}: {page.csp_violations}"
