"""The catalogues: every string a person can see is in them, translated in French and
Kinyarwanda (none empty or fuzzy), with exactly the placeholders of its source; and each
main page of each role, in each language, shows no English in its chrome."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests import factories
from tests.helpers import login

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "rw")
# The names the code marks strings with beyond pybabel's own (docs/translations.md).
KEYWORDS = ("-k", "_l", "-k", "lazy_ngettext:1,2", "-k", "_p:1c,2")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def catalogue(language: str):
    path = ROOT / "scbi" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=language)


def _ids(cat) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings the code and templates mark today, as ``pybabel extract`` finds them."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(  # noqa: S603 - our own tool from this virtualenv, fixed arguments
        [
            str(pybabel), "-q", "extract", "-F", "babel.cfg", *KEYWORDS,
            "--ignore-dirs", ".* __pycache__",  # not pybabel's default "_*": templates/_macros
            "--no-location", "-o", str(out), ".",
        ],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    with out.open("rb") as f:
        return _ids(read_po(f))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_exactly_the_marked_strings(extracted, language):
    held = _ids(catalogue(language))
    assert sorted(extracted - held) == [], "marked but not in the catalogue: pybabel update"
    assert sorted(held - extracted) == [], "in the catalogue but no longer marked"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        if "fuzzy" in message.flags:
            problems.append(("fuzzy", ids[0]))
        for i, text in enumerate(strings):
            if not (text or "").strip():
                problems.append(("untranslated", ids[0]))
                continue
            source = ids[min(i, len(ids) - 1)]
            wanted = sorted(PLACEHOLDER.findall(source))
            singular = sorted(PLACEHOLDER.findall(ids[0]))
            if sorted(PLACEHOLDER.findall(text)) not in (wanted, singular):
                problems.append(("placeholders", ids[0]))
    assert problems == []


class _Chrome(HTMLParser):
    """The visible texts of a page's chrome: menus, headings, buttons, labels, table heads."""

    TAGS = frozenset({"a", "button", "h1", "h2", "h3", "label", "th", "legend", "option"})

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if self.open and text:
            self.texts.append(text)


def _english_leftovers(html: str, language: str) -> list[str]:
    translated = {
        m.id: m.string
        for m in catalogue(language)
        if isinstance(m.id, str) and m.id and m.string and m.string != m.id
    }
    # a word both languages write alike ("Comment" is French for "How") is no leftover
    native = set(translated.values())
    parser = _Chrome()
    parser.feed(html)
    return sorted({text for text in parser.texts if text in translated and text not in native})


PAGES = {
    "secretariat": ["/", "/programme", "/coaches", "/mentees", "/pairings", "/logs", "/users",
                    "/reports", "/mail", "/account", "/audit", "/frameworks"],
    "coordinator": ["/", "/pairings", "/plans", "/plans/{plan}", "/logs", "/logs/{log}",
                    "/coaches/follow-up", "/mentees", "/reports/sectors/{sector}",
                    "/mentees/{mentee}/competencies"],
    "coach": ["/", "/pairings", "/my/logs", "/mentees", "/pairings/{pairing}/logs/new"],
    "mentee": ["/", "/my/logs", "/my/competencies", "/logs/{log}",
               "/mentees/{mentee}/assessments/new", "/mentees/{mentee}/portfolio"],
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_role_s_pages_show_no_english_in_their_chrome(app, client, language):
    world = factories.world(app)
    people = factories.people_of_sector_a(world)
    headers = {"Accept-Language": language}
    found = {}
    assert _english_leftovers(client.get("/login", headers=headers).text, language) == []
    for role, paths in PAGES.items():
        browser = app.test_client()
        login(browser, people[role])
        for path in paths:
            path = path.format(
                pairing=world.a.pairing_id,
                log=world.log_id,
                plan=world.plan_id,
                sector=world.a.sector_id,
                mentee=world.a.mentee_id,
            )
            response = browser.get(path, headers=headers, follow_redirects=True)
            assert response.status_code == 200, (role, path)
            assert f'<html lang="{language}">' in response.text
            leftovers = _english_leftovers(response.text, language)
            if leftovers:
                found[(role, path)] = leftovers
    assert found == {}
