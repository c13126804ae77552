"""The phone pages' words all come from the gettext catalogue, and the catalogue is current."""

from __future__ import annotations

import gettext
import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from phones_support import free_port

from workshop_kit.phones import i18n
from workshop_kit.phones.client import Phone
from workshop_kit.phones.server import BackgroundPhoneServer
from workshop_kit.session import Session

CHECKOUT = Path(__file__).resolve().parents[1]
LOCALE = CHECKOUT / "workshop_kit" / "locale"
METHODS = [
    ("workshop_kit/phones/**.py", "python"),
    ("workshop_kit/widgets/checkin.py", "python"),
    ("workshop_kit/widgets/common.py", "python"),
    ("workshop_kit/widgets/secret_gate.py", "python"),
    ("workshop_kit/export/forms.py", "python"),
    ("workshop_kit/phones/templates/**.html", "jinja2"),
]


def test_methods_are_babel_cfg():
    """The test extracts from the very files ``make messages`` does."""
    sections = re.findall(r"^\[(\w+): (.+)\]$", (CHECKOUT / "babel.cfg").read_text(), re.M)
    assert sorted((path, method) for method, path in sections) == sorted(METHODS)


def extracted_ids() -> set[str]:
    found = extract_from_dir(CHECKOUT, METHODS, keywords={"_": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found}


def catalogue(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_messages_pot_holds_every_marked_string():
    pot_ids = {m.id for m in catalogue(LOCALE / "messages.pot") if m.id}
    assert extracted_ids() == pot_ids, "run `make messages` to update the catalogue"


def test_every_catalogue_is_complete_and_compiled():
    pot_ids = {m.id for m in catalogue(LOCALE / "messages.pot") if m.id}
    po_files = sorted(LOCALE.glob("*/LC_MESSAGES/messages.po"))
    assert [p.parent.parent.name for p in po_files][:1] == ["en"] or "en" in [
        p.parent.parent.name for p in po_files
    ]
    for po in po_files:
        messages = {m.id: m.string for m in catalogue(po) if m.id}
        assert set(messages) == pot_ids, po
        if po.parent.parent.name == "en":
            assert all(messages[i] == i for i in pot_ids)
        compiled = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
        for message_id, text in messages.items():
            if text:
                assert compiled.gettext(message_id) == text, (po, message_id)


@pytest.fixture
def pseudo_language(tmp_path, monkeypatch):
    """A made-up language "xx" whose every message is the English in ⟦ ⟧."""
    pot = catalogue(LOCALE / "messages.pot")
    for message in pot:
        if message.id:
            message.string = f"⟦{message.id}⟧"
    folder = tmp_path / "locale" / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    write_mo(buffer, pot)
    (folder / "messages.mo").write_bytes(buffer.getvalue())
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locale" / "en" / "LC_MESSAGES" / "messages.mo").write_bytes(
        (LOCALE / "en" / "LC_MESSAGES" / "messages.mo").read_bytes()
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    yield "xx"
    i18n.translations.cache_clear()


def _content_words() -> set[str]:
    text = " ".join(
        p.read_text(encoding="utf-8") for p in (CHECKOUT / "workshop_kit/content").glob("*.yaml")
    )
    return set(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


def _untranslated(page: str, content: set[str]) -> list[str]:
    """Visible words outside ⟦ ⟧ that are neither content (YAML) nor digits/marks."""
    body = page.split("<body>", 1)[1]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    texts = re.findall(r">([^<]+)<", body) + re.findall(
        r'(?:placeholder|aria-label)="([^"]+)"', body
    )
    left = []
    for text in texts:
        text = re.sub(r"⟦.*?⟧", " ", html.unescape(text), flags=re.S)
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
            if word not in content and word.strip("'’-") not in content:
                left.append(word)
    return left


def test_every_page_speaks_the_phones_language(pseudo_language, tmp_path):
    store = tmp_path / "s.sqlite"
    with Session.create(store, "T", couples=2, seed=1) as session:
        code = session.couple_codes()[0]
    with BackgroundPhoneServer(store, free_port()) as server:
        phone = Phone(server.url(""))
        phone.host_header = None
        accept = {"Accept-Language": "xx,en;q=0.5"}
        original = phone._request

        def with_language(method, path, body, headers):
            return original(method, path, body, {**(headers or {}), **accept})

        phone._request = with_language
        pages = [phone.get(f"/j/{server.join_code}").body]
        pages.append(
            phone.post(f"/j/{server.join_code}", {"couple_code": code, "partner": "A"}).body
        )
        home = phone.post(
            f"/j/{server.join_code}",
            {"couple_code": code, "partner": "A", "secret": "tulip7", "secret_again": "tulip7"},
        )
        pages.append(home.body)
        for path in ("/c/before/1", "/c/before/33", "/v", "/v/top", "/w", "/n", "/p", "/done"):
            pages.append(phone.get(path).body)
        pages.append(phone.get("/nothing-here").body)
        phone.close()
    # each language is offered in its own name ("English", "Español") on purpose
    content = _content_words() | {"English", "Espa", "ol"}
    for page in pages:
        assert 'lang="xx"' in page
        assert _untranslated(page, content) == [], page[:300]


ENGLISH = re.compile(
    r"\b(the|your|you|and|please|with|what|which|partner|couple|question|answer|next|back|"
    r"skip|saved|thank|start|secret|choose|true|often|rarely|feel|my|our|we|time|join)\b",
    re.IGNORECASE,
)


def _visible(page: str) -> list[str]:
    body = page.split("<body>", 1)[1]
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)
    texts = re.findall(r">([^<]+)<", body) + re.findall(
        r'(?:placeholder|aria-label)="([^"]+)"', body
    )
    return [html.unescape(t).strip() for t in texts if t.strip()]


def test_a_partner_who_picks_spanish_gets_spanish_pages_and_the_same_answers(tmp_path):
    """English phone, Spanish chosen on the join page: every page in Spanish after."""
    store = tmp_path / "s.sqlite"
    with Session.create(store, "T", couples=2, seed=1) as session:
        code = session.couple_codes()[0]
    with BackgroundPhoneServer(store, free_port()) as server:
        phone = Phone(server.url(""))
        phone.host_header = None
        first = phone.get(f"/j/{server.join_code}").body
        assert 'value="es"' in first and "Español" in first
        secret_page = phone.post(
            f"/j/{server.join_code}", {"couple_code": code, "partner": "B", "language": "es"}
        ).body
        pages = [secret_page]
        home = phone.post(
            f"/j/{server.join_code}",
            {
                "couple_code": code,
                "partner": "B",
                "language": "es",
                "secret": "tulip7",
                "secret_again": "tulip7",
            },
        )
        pages.append(home.body)
        for path in ("/c/before/1", "/c/before/33", "/v", "/v/top", "/w", "/n", "/p", "/done"):
            pages.append(phone.get(path).body)
        phone.close()
    for page in pages:
        assert 'lang="es"' in page
        english = [t for t in _visible(page) if ENGLISH.search(t)]
        assert english == [], english
    assert "Hacemos tiempo para estar juntos" in pages[2]
    with Session.open(store) as session:
        assert session.partner_language(code, "B") == "es"
        assert session.partner_language(code, "A") == "en"
