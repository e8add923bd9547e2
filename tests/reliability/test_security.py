"""Security of the chat page: login and the refusal to serve a network unprotected, hostile
articles in the real browser, upload names and counts, and no outbound connection anywhere.

Everything is real: the model, Chroma, the Gradio server on 127.0.0.1, Debian's chromium."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from tests.helpers import CORPUS, REPO, make_assistant
from tests.web.test_app import SEED_QUESTION, SEED_QUOTE, free_port, served_page

PWN = "window.__pwned=1"
# Every trick in the title, the outlet, the text and the url of one article.
HOSTILE_TITLE = f'Elbonia <script>{PWN}</script> <img src=x onerror="{PWN}"> [t](javascript:{PWN})'
HOSTILE_SOURCE = f'<img src=x onerror="{PWN}">Elbonia Herald'
HOSTILE_BODY = (
    "The council of Elbonia met on Monday to discuss the old bridge. "
    f"Mayor Quentin Marsh said the bridge over the Elbe river <script>{PWN}</script> will "
    f'reopen in May <img src=x onerror="{PWN}"> [click](javascript:{PWN}) '
    f'![x](http://127.0.0.1:9/x.png) <a href="javascript:{PWN}">more</a>. '
    'Engineers said the repairs cost 3 million euros <svg onload="window.__pwned=1"></svg>.\n\n'
    f'<iframe src="javascript:{PWN}"></iframe> <style>body{{display:none}}</style> '
    "The opposition said the works came late.\n"
)
HOSTILE_QUESTION = "What did Mayor Quentin Marsh say about the bridge?"
SAFE_URL_BODY = (
    "Harbour works in Freedonia started on Friday. Harbour master Ilse Brandt said the new quay "
    "will open in the autumn.\n"
)
# Any element, in any panel the page fills from article data, that could run or load something.
DANGER_JS = """
() => {
  const roots = ['#chatbot', '#article-viewer', '#guide', '#upload-result', '#articles-table',
                 '#app-header'];
  // Inside the HTML the app renders (and the chat bubbles), no element may load or run.
  const content = ['#chatbot .message', '#chatbot .answer', '#chatbot .question-text',
                   '#article-viewer .article-view', '#guide .guide', '#upload-result',
                   '#articles-table .article-table', '.app-header'];
  const bad = [];
  for (const sel of content) {
    for (const el of document.querySelectorAll(`${sel} *`)) {
      const tag = el.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'img', 'svg', 'style', 'form', 'video',
           'audio', 'link', 'meta', 'base'].includes(tag) && !el.closest('button'))
        bad.push(`${sel}: <${tag}>`);
    }
  }
  for (const sel of roots) {
    for (const el of document.querySelectorAll(`${sel}, ${sel} *`)) {
      const tag = el.tagName.toLowerCase();
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.trim().toLowerCase();
        if (name.startsWith('on')) bad.push(`${sel}: ${tag}[${name}]`);
        if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(name)
            && value.replace(/\\s/g, '').startsWith('javascript:'))
          bad.push(`${sel}: ${tag}[${name}=${value}]`);
      }
    }
  }
  return bad;
}
"""


# the rule: loopback only, unless a login (or an explicit opt-out) protects the page
def test_non_loopback_host_needs_auth() -> None:
    from assistant.web.app import exposure_problem, launch_options

    for host in ["127.0.0.1", "localhost", "::1"]:
        assert exposure_problem(Settings(host=host)) is None
    for host in ["0.0.0.0", "192.168.1.5", "::", "example.org"]:
        problem = exposure_problem(Settings(host=host))
        assert problem and host in problem and "ASSISTANT_AUTH_USER" in problem
        assert exposure_problem(Settings(host=host, auth_user="a", auth_password="b")) is None
        assert exposure_problem(Settings(host=host, allow_public_without_auth=True)) is None
        # half a login is no login
        assert exposure_problem(Settings(host=host, auth_user="a")) is not None
    assert launch_options(Settings())["auth"] is None
    assert launch_options(Settings(auth_user="a", auth_password="b"))["auth"] == ("a", "b")
    env = {"ASSISTANT_AUTH_USER": "ann", "ASSISTANT_AUTH_PASSWORD": "pw", "ASSISTANT_HOST": "::"}
    settings = Settings.from_env(env)
    assert (settings.auth_user, settings.auth_password) == ("ann", "pw")
    assert exposure_problem(settings) is None


def test_chat_command_refuses_public_host_without_auth(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "chat", "--host", "0.0.0.0", "--port", "9"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "refusing to serve on 0.0.0.0" in done.stderr
    assert not (tmp_path / "data").exists(), "it must refuse before opening the index"


@pytest.fixture(scope="module")
def auth_server(seed_assistant: Assistant) -> Iterator[str]:
    from assistant.web.app import build_app, launch_options

    settings = seed_assistant.settings.with_overrides(auth_user="reader", auth_password="s3cret!")
    demo = build_app(seed_assistant)
    options = launch_options(settings) | {"server_port": free_port(), "quiet": True}
    demo.launch(prevent_thread_lock=True, **options)
    yield f"http://127.0.0.1:{options['server_port']}/"
    demo.close()


def test_auth_rejects_strangers_and_accepts_the_login(auth_server: str) -> None:
    from gradio_client import Client

    with httpx.Client(base_url=auth_server, timeout=30) as http:
        assert http.get("gradio_api/info").status_code == 401
        call = http.post("gradio_api/call/ask", json={"data": [SEED_QUESTION, None, None]})
        assert call.status_code == 401
        bad = http.post("login", data={"username": "reader", "password": "wrong"})
        assert bad.status_code == 400
        assert http.get("gradio_api/info").status_code == 401
    for auth in [None, ("reader", "wrong")]:
        with pytest.raises(Exception):  # noqa: B017  (gradio_client raises several kinds)
            Client(auth_server, auth=auth, verbose=False).predict(
                SEED_QUESTION, None, None, api_name="/ask"
            )
    client = Client(auth_server, auth=("reader", "s3cret!"), verbose=False)
    answer = client.predict(SEED_QUESTION, None, None, api_name="/ask")
    assert SEED_QUOTE in answer["citations"][0]["quote"]


# hostile articles in the real browser
@pytest.fixture(scope="module")
def hostile_server(
    tmp_path_factory: pytest.TempPathFactory, embeddings
) -> Iterator[tuple[str, Assistant]]:
    data = tmp_path_factory.mktemp("hostile-data")
    corpus = data / "corpus"
    corpus.mkdir()
    records = [
        {
            # the id lands in the "Open article" link's href: it must not break out of it
            "id": f'h1" onmouseover="{PWN}" x="',
            "title": HOSTILE_TITLE,
            "source": HOSTILE_SOURCE,
            "url": f"javascript:{PWN}",
            "date": "2024-05-01",
            "text": HOSTILE_BODY,
        },
        {
            "title": "Freedonia harbour",
            "source": "Harbour News",
            "url": "https://harbour.example/quay",
            "text": SAFE_URL_BODY,
        },
    ]
    (corpus / "hostile.json").write_text(json.dumps(records), encoding="utf-8")
    assistant = make_assistant(data / "index", embeddings, max_upload_files=3, max_upload_mb=1.0)
    report = assistant.ingest([corpus])
    assert len(report.added) == 2, report.summary()
    with served_page(assistant) as url:
        yield url, assistant
    assistant.close()


@pytest.fixture
def hostile_page(hostile_server) -> Iterator[Any]:
    from tests.web.test_app_browser import CHROMIUM, FLAGS

    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium missing: run `make browser`")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.errors.append(f"dialog: {d.message}"), d.dismiss()))  # type: ignore[attr-defined]

        def guard(route: Any) -> None:
            # Nothing may leave the machine: record and abort anything not for our server.
            page.requests.append(route.request.url)  # type: ignore[attr-defined]
            if route.request.url.startswith(hostile_server[0]):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)
        page.goto(hostile_server[0], wait_until="domcontentloaded")
        page.locator("#question textarea").wait_for(state="visible", timeout=30_000)
        # the page's load event has filled the article table
        page.wait_for_function(
            "document.querySelector('.article-table td') !== null", timeout=30_000
        )
        yield page
        context.close()
        browser.close()


def assert_nothing_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "a script from an article ran"
    assert page.evaluate(DANGER_JS) == []
    strays = [u for u in page.requests if not u.startswith("http://127.0.0.1:") or ":9/" in u]
    assert strays == [], strays
    assert page.errors == []


@pytest.mark.browser
def test_hostile_article_renders_as_text_everywhere(hostile_page: Any) -> None:
    from tests.web.test_app_browser import ask

    page = hostile_page
    # the user's own question with markup: shown as text too
    mine = ask(page, f'<img src=x onerror="{PWN}"> {HOSTILE_QUESTION}')
    answer = ask(page, HOSTILE_QUESTION)
    assert "reopen in May" in answer.inner_text()
    card = answer.locator(".source-card").first
    card_text = card.inner_text()
    assert "<script>" in card_text and "Elbonia" in card_text and "onerror" in card_text
    assert "[click](javascript:" in card.locator(".card-context").inner_text()
    assert mine.count() == 1
    # click every link in the answers and their cards (the [n] markers, "Open article")
    links = page.locator("#chatbot a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert hrefs and all(h.startswith(("#source:", "#open:")) for h in hrefs), hrefs
    for i in range(links.count()):
        links.nth(i).hover()
        links.nth(i).click()
        page.wait_for_timeout(150)
    viewer = page.locator("#article-viewer")
    viewer.locator("mark#article-quote").wait_for(state="visible", timeout=10_000)
    view_text = viewer.inner_text()
    assert f"<script>{PWN}</script>" in view_text and "![x](http://127.0.0.1:9/x.png)" in view_text
    assert "<iframe" in view_text and HOSTILE_TITLE.split(" [")[0] in view_text
    # a javascript: article url is not a link; the link to the original is only for http(s)
    assert viewer.locator("a").count() == 0
    assert_nothing_ran(page)
    # the other article has an https url: it becomes a link (not followed: offline)
    answer = ask(page, "What did harbour master Ilse Brandt say about the quay?")
    answer.locator("a.open-article").first.click()
    viewer.get_by_text("Harbour works in Freedonia").wait_for(timeout=10_000)
    original = viewer.locator("a", has_text="original")
    assert original.get_attribute("href") == "https://harbour.example/quay"
    assert original.get_attribute("rel") == "noopener noreferrer"
    # the source guide of the hostile article
    page.locator("#guide-pick input").click()
    page.get_by_role("option", name="Elbonia", exact=False).first.click()
    page.locator("#guide .guide-summary li").first.wait_for(timeout=30_000)
    assert "<script>" in page.locator("#guide").inner_text()
    guide_links = page.locator("#guide a")
    for i in range(guide_links.count()):
        guide_links.nth(i).click()
        page.wait_for_timeout(150)
    assert_nothing_ran(page)


@pytest.mark.browser
def test_upload_names_from_the_browser_stay_inside(hostile_page: Any, hostile_server) -> None:
    page = hostile_page
    _, assistant = hostile_server
    upload_dir = (assistant.settings.data_dir / "uploads").resolve()
    body = b"Traversal test\n\nThe keeper of Zembla lighthouse said the lamp was repaired.\n"
    files = [
        {"name": "../../evil.md", "mimeType": "text/markdown", "buffer": body},
        {"name": "/tmp/abs_evil.md", "mimeType": "text/markdown", "buffer": body + b"Again.\n"},
        {"name": f"<img src=x onerror='{PWN}'>.md", "mimeType": "text/markdown", "buffer": body},
    ]
    page.get_by_role("tab", name="Add articles").click()
    page.locator("#upload input[type=file]").set_input_files(files)
    page.locator("#upload-result li").first.wait_for(timeout=60_000)
    assert "Added: Traversal test" in page.locator("#upload-result").inner_text()
    stored = [p.resolve() for p in upload_dir.iterdir()]
    assert stored and all(p.parent == upload_dir for p in stored)
    assert not (assistant.settings.data_dir.parent / "evil.md").exists()
    assert not Path("/tmp/abs_evil.md").exists()
    for article in assistant.articles():
        if article.origin.endswith(".md"):
            assert Path(article.origin).resolve().parent == upload_dir
    assert_nothing_ran(page)


def test_upload_route_and_page_keep_names_inside(hostile_server, tmp_path: Path) -> None:
    """The raw upload route with hostile multipart names, then the page's upload function."""
    from assistant.web.app import ChatPage

    url, assistant = hostile_server
    body = b"Route test\n\nThe warden of Ruritania park said the gates open at dawn.\n"
    names = ["../../evil.md", "/etc/cron.d/evil.md", "..\\..\\win_evil.md", "..", ".md"]
    paths: list[Path] = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for name in names:
            reply = http.post("gradio_api/upload", files=[("files", (name, body, "text/markdown"))])
            # Gradio either refuses the name or keeps only its last part in its own folder.
            assert reply.status_code in (200, 400), reply.text
            if reply.status_code == 200:
                stored = Path(reply.json()[0])
                assert ".." not in stored.parts and stored.name != "..", stored
                paths.append(stored)
            else:
                assert "Invalid file name" in reply.text
    assert len(paths) >= 3
    with httpx.Client(base_url=url, timeout=30) as http:
        big = b"word " * (300 * 1024)  # 1.5 MB against max_upload_mb=1.0
        reply = http.post("gradio_api/upload", files=[("files", ("big.md", big, "text/plain"))])
    assert reply.status_code == 413, reply.text
    page = ChatPage(assistant)
    html = page.upload([str(p) for p in paths[:3]])  # the page takes at most 3 at once here
    assert "Route test" in html.split("Not added")[0], html
    upload_dir = page.upload_dir
    assert all(p.resolve().parent == upload_dir for p in upload_dir.iterdir())
    assert not Path("/etc/cron.d/evil.md").exists()
    assert not (assistant.settings.data_dir.parent / "evil.md").exists()


def test_upload_count_is_capped(embeddings, tmp_path: Path) -> None:
    from assistant.web.app import ChatPage

    assistant = make_assistant(tmp_path / "data", embeddings, max_upload_files=2)
    page = ChatPage(assistant)
    files = []
    for i, word in enumerate(["alpha", "bravo", "charlie", "delta"]):
        path = tmp_path / f"note{i}.txt"
        path.write_text(f"Note {word}\n\nThe {word} committee met on day {i}.\n", encoding="utf-8")
        files.append(str(path))
    html = page.upload(files)
    assert "2 more file(s)" in html and "at most 2 files per upload" in html
    assert sorted(a.title for a in assistant.articles()) == ["Note alpha", "Note bravo"]
    assistant.close()


# no outbound connection: model load, ingest, questions, the chat answer path, the server
def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths stay on the machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a name other than localhost would need DNS: outbound


@pytest.fixture
def outbound(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    attempts: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # A name lookup for anything but loopback is the first step of an outbound connection.
        name = host.decode() if isinstance(host, bytes) else host
        if name not in (None, "", "localhost") and not _is_loopback((name, 0)):
            attempts.append(("dns", name))
            raise socket.gaierror(f"name lookup blocked by test: {name}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            raise OSError(f"outbound connection blocked by test: {address}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            raise OSError(f"outbound connection blocked by test: {address}")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_no_outbound_connection(outbound: list[Any], tmp_path: Path) -> None:
    from gradio_client import Client

    from assistant.web.app import ChatPage, build_app, launch_options

    # a fresh Assistant: the model loads from the installed package, not from a hub
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    try:
        assert len(assistant.ingest([CORPUS]).added) == 1
        assert SEED_QUOTE in assistant.ask(SEED_QUESTION).citations[0].quote
        last = list(ChatPage(assistant).respond(SEED_QUESTION, [], []))[-1]
        assert SEED_QUOTE in last[1][-1]["content"]
        demo = build_app(assistant)
        options = launch_options(assistant.settings) | {"server_port": free_port(), "quiet": True}
        demo.launch(prevent_thread_lock=True, **options)
        try:
            client = Client(f"http://127.0.0.1:{options['server_port']}/", verbose=False)
            answer = client.predict(SEED_QUESTION, None, None, api_name="/ask")
            assert SEED_QUOTE in answer["citations"][0]["quote"]
        finally:
            demo.close()
    finally:
        assistant.close()
    assert outbound == []
    # the guard itself works: a connection to a documentation address is caught
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.5)
    assert outbound == [("192.0.2.1", 80)]


def test_offline_switches_are_set_by_importing_the_app() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED"}
        and not k.startswith(("HF_", "TRANSFORMERS_"))
    }
    code = (
        "import json, os, assistant.web.app, gradio.analytics as ga; print(json.dumps({k: "
        "os.environ.get(k) for k in ['HF_HUB_OFFLINE', 'ANONYMIZED_TELEMETRY', "
        "'GRADIO_ANALYTICS_ENABLED']} | {'gradio': ga.analytics_enabled()}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "gradio": False,
    }
