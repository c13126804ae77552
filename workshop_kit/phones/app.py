"""The phone pages: a small Tornado application of the kit's own routes, nothing else.

Server-rendered HTML (Jinja2, autoescaped), one form per screen, no JavaScript, no CDN.
Every write goes through :class:`~workshop_kit.session.Session` (source ``phone``), so the
dashboard, results and packs see a phone's answers at once.

Before any handler runs (:meth:`Base.prepare`): the Host header must be one of the
server's own addresses; the address and the phone are rate-limited; a body over the
limit is refused; a POST must carry the form's own CSRF token. Any other path (Jupyter's
``/api/``, ``/lab``, ``/tree``, ``/voila``, ``/kernels`` ...) is a plain 404. The access
log names the page and the status only: never a name, a code, a secret or an answer.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import tornado.web

from ..appreciation import (
    check_words,
    load_appreciation,
    save_note,
    save_words,
    set_note_shared,
    words_of,
)
from ..appreciation import notes as read_notes
from ..checkin_flow import Step, checkin_steps, resume_index
from ..errors import InputError, WorkshopKitError
from ..exercises import (
    calm_down_plan,
    check_calm_down_plan,
    load_exercises,
    save_calm_down_plan,
)
from ..i18n import language_name, spoken_languages
from ..ios_geometry import pair_geometry
from ..session import LANGUAGE, PHASES, Answer, Session, flag_entries, normalise_code
from ..values import PILES, TOP_N, load_deck
from ..values_session import place_card, read_sort, set_top5
from . import devices as dev
from .csrf import FormTokens
from .i18n import languages, pick_language, translations
from .limits import Buckets, Limits
from .writer import BatchWriter

HERE = Path(__file__).resolve().parent
DEVICE_COOKIE = "wk_phone"
PRE_COOKIE = "wk_pre"
COOKIE_MAX_AGE = 12 * 3600
DEVICE_RECHECK = 2.0  # seconds a phone's device entry is trusted before it is read again
LOG = logging.getLogger("workshop_kit.phones")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _(text: str) -> str:
    """Mark a string for the catalogue; it is translated where it is shown."""
    return text


@dataclass
class Sitting:
    """What one phone did since it joined (kept in the server's memory only): Back shows
    an earlier answer only when it was given in this sitting."""

    answered: dict[tuple[str, str, str], float | bool | None] = field(default_factory=dict)


@dataclass
class State:
    """What the whole server shares: the session, limits, form tokens, sittings."""

    session: Session
    allowed_hosts: frozenset[str]
    limits: Limits = field(default_factory=Limits)
    tokens: FormTokens = field(default_factory=FormTokens)
    sittings: dict[str, Sitting] = field(default_factory=dict)

    def __post_init__(self):
        self.steps: list[Step] = checkin_steps(self.session)
        self.deck = load_deck()
        self._steps_by_language: dict[str, list[Step]] = {}
        self._decks_by_language: dict = {}
        self._languages: dict[tuple[str, str], tuple[str, float]] = {}
        self.by_address = Buckets(self.limits.address_rate, self.limits.address_burst)
        self.by_device = Buckets(self.limits.device_rate, self.limits.device_burst)
        self.joins = Buckets(self.limits.join_rate, self.limits.join_burst)
        self.environments: dict[str, jinja2.Environment] = {}
        self.writer = BatchWriter(self.session)
        self._devices: dict[str, tuple[dev.Device | None, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def device(self, token: str | None) -> dev.Device | None:
        """The phone of a device token, looked up in the store at most every
        :data:`DEVICE_RECHECK` seconds (so a phone stopped in the panel is refused within
        that time, and most requests need no store read)."""
        if not token or len(token) > 100:
            return None
        now = time.monotonic()
        key = dev.token_digest(token)
        found = self._devices.get(key)
        if found is None or now - found[1] > DEVICE_RECHECK:
            if len(self._devices) > 5000:
                self._devices.clear()
            found = (dev.device_for_token(self.session, token), now)
            self._devices[key] = found
        return found[0]

    def steps_in(self, language: str) -> list[Step]:
        """The check-in's screens with their words in ``language`` (same ids and order)."""
        if language not in self._steps_by_language:
            content = self.session.content_in(language)
            self._steps_by_language[language] = checkin_steps(self.session, content)
        return self._steps_by_language[language]

    def deck_in(self, language: str):
        """The values deck with its words in ``language`` (same ids and order)."""
        if language not in self._decks_by_language:
            self._decks_by_language[language] = load_deck(language=language)
        return self._decks_by_language[language]

    def partner_language(self, device: dev.Device) -> str | None:
        """The language this phone's partner chose (None: not chosen), re-read at most
        every :data:`DEVICE_RECHECK` seconds."""
        key = (device.couple_code, device.partner)
        now = time.monotonic()
        found = self._languages.get(key)
        if found is None or now - found[1] > DEVICE_RECHECK:
            chosen = self.session.entries(LANGUAGE, *key, key=LANGUAGE)
            found = (chosen[0].value if chosen else None, now)
            self._languages[key] = found
        return found[0]

    def lock(self, device: dev.Device) -> asyncio.Lock:
        """One phone's changes run one at a time (a double tap must not interleave a
        read-then-write of the same sort)."""
        return self._locks.setdefault(device.device, asyncio.Lock())

    def forget(self, token: str | None) -> None:
        if token:
            self._devices.pop(dev.token_digest(token), None)

    def environment(self, language: str) -> jinja2.Environment:
        if language not in self.environments:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(HERE / "templates"),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.install_gettext_translations(translations(language), newstyle=True)
            self.environments[language] = env
        return self.environments[language]


class Refused(Exception):
    """A request the server will not serve: status and a message for the page."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Base(tornado.web.RequestHandler):
    """Checks shared by every page; the phone (if joined) is ``self.device``."""

    page = "page"
    state: State

    def initialize(self, state: State) -> None:
        self.state = state
        self.device: dev.Device | None = None
        self.language = "en"

    # -- checks before any page ----------------------------------------------------
    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.clear_header("Server")

    def prepare(self) -> None:
        self.language = pick_language(self.request.headers.get("Accept-Language"))
        chosen = self.get_query_argument("lang", None)
        if chosen in languages():
            self.language = chosen  # a language link on the join page
        try:
            self._check_request()
        except Refused as refused:
            self.refuse(refused)
            return
        if self.device is not None:
            # a joined phone speaks the language its partner chose (if they chose one)
            chosen = self.state.partner_language(self.device)
            if chosen in languages():
                self.language = chosen

    @property
    def content_language(self) -> str:
        """The language of the questions and cards: the phone's, when the content comes
        in it (a catalogue may come before its content files), else English."""
        return self.language if self.language in spoken_languages() else "en"

    @property
    def steps(self) -> list[Step]:
        """The check-in's screens in this phone's language."""
        return self.state.steps_in(self.content_language)

    @property
    def deck(self):
        """The values deck in this phone's language."""
        return self.state.deck_in(self.content_language)

    def _check_request(self) -> None:
        if self.request.host not in self.state.allowed_hosts:
            raise Refused(400, _("This address is not the workshop's phone page."))
        if not self.state.by_address.take(self.request.remote_ip or "?"):
            raise Refused(429, _("Too many taps at once. Please wait a few seconds."))
        length = int(self.request.headers.get("Content-Length") or 0)
        if length > self.state.limits.max_body_bytes or (
            len(self.request.body or b"") > self.state.limits.max_body_bytes
        ):
            raise Refused(413, _("That was too much text to send at once."))
        token = self.get_cookie(DEVICE_COOKIE)
        if token:
            self.device = self.state.device(token)
            if self.device is not None and not self.state.by_device.take(self.device.device):
                raise Refused(429, _("Too many taps at once. Please wait a few seconds."))
        if self.request.method == "POST" and not self.state.tokens.check(
            self.get_body_argument("csrf", None), self.binding(), self.request.path
        ):
            raise Refused(
                403, _("This page was open too long or came from somewhere else. Please go back.")
            )

    def check_xsrf_cookie(self) -> None:
        """Tornado's whole-site cookie is not used: every form has its own token."""

    def binding(self) -> str:
        """What a form token is tied to: the phone's token, or a cookie set before joining."""
        token = self.get_cookie(DEVICE_COOKIE)
        if self.device is not None and token:
            return dev.token_digest(token)
        pre = self.get_cookie(PRE_COOKIE)
        if not pre or len(pre) > 64:
            pre = secrets.token_urlsafe(16)
            self.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="Strict", path="/")
        return "pre:" + pre

    def check_etag_header(self) -> bool:
        return False

    def log_exception(self, typ, value, tb) -> None:
        # Tornado's own message names the path and the phone's address: leave both out.
        if isinstance(value, tornado.web.HTTPError):
            return
        LOG.error("error on page %s: %s", self.page, typ.__name__, exc_info=(typ, value, tb))

    # -- answers -------------------------------------------------------------------
    def t(self, text: str, **values) -> str:
        """``text`` in the phone's language, with ``%(name)s`` filled in."""
        translated = translations(self.language).gettext(text)
        return translated % values if values else translated

    def render_page(self, template: str, status: int = 200, **values) -> None:
        env = self.state.environment(self.language)
        form = values.pop("form", self.request.path)
        html = env.get_template(template).render(
            language=self.language,
            languages=[(lang, language_name(lang)) for lang in spoken_languages()],
            csrf=self.state.tokens.make(self.binding(), form),
            form=form,
            device=self.device,
            **values,
        )
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(html)

    def refuse(self, refused: Refused) -> None:
        self.render_page(
            "message.html",
            status=refused.status,
            title=self.t(_("Sorry")),
            text=self.t(refused.message),
            link=None,
        )

    def need_device(self) -> dev.Device | None:
        """The joined phone, or (after showing how to join) None."""
        if self.device is None:
            self.render_page(
                "message.html",
                status=403,
                title=self.t(_("Join first")),
                text=self.t(_("Scan the code on the big screen, or type the address shown there.")),
                link=None,
            )
        return self.device

    def sitting(self) -> Sitting:
        return self.state.sittings.setdefault(self.device.device, Sitting())

    def write_error(self, status_code: int, **kwargs) -> None:
        # No traceback and no request details on the page, whatever happened.
        text = _("That page is not here.") if status_code == 404 else _("Something went wrong.")
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, WorkshopKitError):
            # the store was busy or failed: nothing of this request was saved
            status_code = 503
            text = _(
                "Your last answer was not saved: the laptop was busy for a moment. "
                "Please go back and tap it again."
            )
        self.render_page(
            "message.html",
            status=status_code,
            title=self.t(_("Sorry")),
            text=self.t(text),
            link=None,
        )


class NotFound(Base):
    """Everything that is not one of the phone pages: a plain 404, whatever the path."""

    page = "not-found"

    def prepare(self) -> None:
        super().prepare()
        if not self._finished:
            raise tornado.web.HTTPError(404)


class Health(Base):
    page = "ok"

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("ok")


class Home(Base):
    page = "home"

    def get(self) -> None:
        if self.device is None:
            self.need_device()
            return
        session, code, partner = self.state.session, self.device.couple_code, self.device.partner
        done = {
            phase: resume_index(session, self.steps, code, partner, phase) >= len(self.steps)
            for phase in PHASES
        }
        sort = read_sort(session, code, partner, self.deck)
        self.render_page(
            "home.html",
            partner=partner,
            done=done,
            values_done=sort.is_complete(self.deck),
            words_done=bool(words_of(session, code, partner)),
            notes_count=len(read_notes(session, code, partner)),
            plan_done=calm_down_plan(session, code, partner) is not None,
        )


class Join(Base):
    """``/j/JOINCODE``: couple code and partner, then the partner's own secret."""

    page = "join"

    def _open(self, join_code: str) -> bool:
        if dev.join_code_matches(self.state.session, join_code):
            return True
        self.render_page(
            "message.html",
            status=404,
            title=self.t(_("Joining is closed")),
            text=self.t(
                _(
                    "This join link is not open now. Please ask the facilitator, "
                    "or answer on paper or on the laptop."
                )
            ),
            link=None,
        )
        return False

    def get(self, join_code: str) -> None:
        if self._open(join_code):
            self.render_page("join.html", step="who", couple_code="", partner="", error="")

    async def post(self, join_code: str) -> None:
        chosen = self.get_body_argument("language", None)
        if chosen in languages():
            self.language = chosen  # the language picked on the first join screen
        if not self._open(join_code):
            return
        if not self.state.joins.take(self.request.remote_ip or "?"):
            self.refuse(Refused(429, _("Too many tries. Please wait a minute and try again.")))
            return
        session = self.state.session
        typed_code = self.get_body_argument("couple_code", "")[:20]
        try:
            code, partner = session.check_participant(
                normalise_code(typed_code),
                dev.check_partner_letter(self.get_body_argument("partner", "")),
            )
        except InputError:
            self.render_page(
                "join.html",
                status=400,
                step="who",
                couple_code=typed_code,
                partner="",
                error=self.t(_("Please check the couple code on your card and choose A or B.")),
            )
            return
        has_secret = session.partner_secret_is_set(code, partner)
        secret = self.get_body_argument("secret", None)
        if secret is None:
            self.render_page(
                "join.html",
                step="secret",
                couple_code=code,
                partner=partner,
                has_secret=has_secret,
                error="",
            )
            return
        secret = secret[:100]
        if has_secret:
            # scrypt takes ~50 ms: on a worker thread, so other phones are not kept waiting
            if not await _off_loop(session.check_partner_secret, code, partner, secret):
                self.render_page(
                    "join.html",
                    status=403,
                    step="secret",
                    couple_code=code,
                    partner=partner,
                    has_secret=True,
                    error=self.t(
                        _(
                            "That secret does not match. Try again, or ask the facilitator "
                            "to reset it."
                        )
                    ),
                )
                return
        else:
            if secret != self.get_body_argument("secret_again", ""):
                self.render_page(
                    "join.html",
                    status=400,
                    step="secret",
                    couple_code=code,
                    partner=partner,
                    has_secret=False,
                    error=self.t(_("The two secrets are not the same. Please type them again.")),
                )
                return
            try:
                await _off_loop(session.set_partner_secret, code, partner, secret)
            except InputError:
                self.render_page(
                    "join.html",
                    status=400,
                    step="secret",
                    couple_code=code,
                    partner=partner,
                    has_secret=False,
                    error=self.t(_("Please choose a secret of at least 4 letters or digits.")),
                )
                return
        token, device = dev.add_device(session, code, partner)
        chosen = self.get_body_argument("language", None)
        if chosen in spoken_languages() and chosen != session.partner_language(code, partner):
            # picked on the join page: kept for this partner (laptop, pack, other phones)
            await _off_loop(session.set_partner_language, code, partner, chosen, "phone")
        self.state._languages.pop((code, partner), None)
        self.set_cookie(
            DEVICE_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            path="/",
            max_age=COOKIE_MAX_AGE,
        )
        self.state.sittings[device.device] = Sitting()
        self.redirect("/home", status=303)


class Checkin(Base):
    """``/c/PHASE/N``: one check-in question a screen; answer, skip or go back."""

    page = "checkin"

    def get(self, phase: str, number: str | None = None) -> None:
        if self.need_device() is None:
            return
        steps = self.steps
        if number is None:
            index = resume_index(
                self.state.session, steps, self.device.couple_code, self.device.partner, phase
            )
            self.redirect(self._url(phase, index), status=303)
            return
        index = int(number) - 1
        if not 0 <= index < len(steps):
            raise tornado.web.HTTPError(404)
        self._show(phase, index)

    def _url(self, phase: str, index: int) -> str:
        if index >= len(self.steps):
            return f"/c/{phase}/done"
        return f"/c/{phase}/{index + 1}"

    def _show(self, phase: str, index: int, error: str = "", status: int = 200) -> None:
        step = self.steps[index]
        chosen = self.sitting().answered.get((phase, *step.key))
        if step.kind == "flag":
            question, help_text = step.flag.text, step.flag.help
            options = [(self.t(_("Yes")), "yes", None), (self.t(_("No")), "no", None)]
            chosen = {True: "yes", False: "no"}.get(chosen)
        elif step.kind == "picture":
            inst = step.instrument
            question = " ".join(inst.intro.split())
            help_text = self.t(_("1 = the circles only touch · 7 = they almost completely overlap"))
            options = [(str(v), str(v), circles_svg(v)) for v in range(inst.min, inst.max + 1)]
            chosen = None if chosen is None else str(int(chosen))
        else:
            item, anchors = step.item, step.instrument.anchors
            question, help_text = item.text, ""
            options = [
                (f"{v} · {anchors[v]}" if v in anchors else str(v), str(v), None)
                for v in range(item.min, item.max + 1)
            ]
            chosen = None if chosen is None else str(int(chosen))
        self.render_page(
            "question.html",
            status=status,
            phase=phase,
            number=index + 1,
            total=len(self.steps),
            question=question,
            help_text=help_text,
            options=options,
            chosen=chosen,
            picture=step.kind == "picture",
            back=index > 0,
            error=error,
        )

    async def post(self, phase: str, number: str | None = None) -> None:
        if self.need_device() is None:
            return
        steps = self.steps
        if number is None or not 0 <= int(number) - 1 < len(steps):
            raise tornado.web.HTTPError(404)
        index = int(number) - 1
        action = self.get_body_argument("action", "answer")
        if action == "back":
            self.redirect(self._url(phase, max(0, index - 1)), status=303)
            return
        step = self.steps[index]
        code, partner = self.device.couple_code, self.device.partner
        answers, entries = [], []
        try:
            if action == "skip":
                value = None
                # a skipped yes/no question records nothing: consent stays "no"
                if step.kind != "flag":
                    answers.append(Answer(code, partner, phase, *step.key, None))
            elif step.kind == "flag":
                raw = self.get_body_argument("value", "")
                if raw not in ("yes", "no"):
                    raise InputError(f"answer must be one of ['yes', 'no']; not {raw!r}")
                value = raw == "yes"
                entries.extend(flag_entries(step.flag.id, value, code, partner, phase))
            else:
                raw = self.get_body_argument("value", "")
                if not raw.isdigit() or len(raw) > 3:
                    raise InputError(f"answer must be a whole number; not {raw[:10]!r}")
                value = int(raw)
                answers.append(Answer(code, partner, phase, *step.key, value))
            if answers or entries:
                await self.state.writer.write(answers, entries)
        except InputError:
            self._show(
                phase, index, error=self.t(_("Please choose one of the answers.")), status=400
            )
            return
        self.sitting().answered[(phase, *step.key)] = value
        self.redirect(self._url(phase, index + 1), status=303)


class CheckinDone(Base):
    page = "checkin-done"

    def get(self, phase: str) -> None:
        if self.need_device() is None:
            return
        self.render_page(
            "message.html",
            title=self.t(_("Thank you")),
            text=self.t(
                _(
                    "Your answers are saved. Only you and the facilitator's laptop "
                    "have them; your partner does not see them."
                )
            ),
            link=("/home", self.t(_("Back to the list"))),
        )


class ValuesSort(Base):
    """``/v``: one value card a screen, three piles; then ``/v/top`` for the top five."""

    page = "values"

    def get(self) -> None:
        if self.need_device() is None:
            return
        deck = self.deck
        sort = read_sort(self.state.session, self.device.couple_code, self.device.partner, deck)
        card_id = self.get_query_argument("card", None)
        if card_id is None:
            unsorted = sort.unsorted(deck)
            if not unsorted:
                self.redirect("/v/top", status=303)
                return
            card_id = unsorted[0]
        try:
            card = deck.card(card_id)
        except InputError:
            raise tornado.web.HTTPError(404) from None
        self._show(card.id, sort)

    def _show(self, card_id: str, sort, error: str = "", status: int = 200) -> None:
        deck = self.deck
        card = deck.card(card_id)
        position = deck.ids.index(card_id)
        piles = [
            (self.t(_("Very important")), "very"),
            (self.t(_("Important")), "important"),
            (self.t(_("Not important")), "not"),
        ]
        self.render_page(
            "card.html",
            status=status,
            form="/v",
            card=card,
            number=position + 1,
            total=len(deck.cards),
            sorted_count=len(sort.piles),
            piles=piles,
            chosen=sort.piles.get(card_id),
            previous=deck.ids[position - 1] if position > 0 else None,
            error=error,
        )

    async def post(self) -> None:
        if self.need_device() is None:
            return
        deck = self.deck
        card_id = self.get_body_argument("card", "")[:60]
        pile = self.get_body_argument("pile", "")
        try:
            deck.card(card_id)
            if pile not in PILES:
                raise InputError(f"pile must be one of {list(PILES)}; not {pile!r}")
            # the store work (read, write, read) on a worker thread: the loop keeps serving
            async with self.state.lock(self.device):
                sort = await _off_loop(
                    place_card,
                    self.state.session,
                    self.device.couple_code,
                    self.device.partner,
                    card_id,
                    pile,
                    deck,
                    "phone",
                )
        except InputError:
            sort = read_sort(self.state.session, self.device.couple_code, self.device.partner, deck)
            if card_id not in deck.ids:
                raise tornado.web.HTTPError(400) from None
            self._show(
                card_id, sort, error=self.t(_("Please choose one of the three piles.")), status=400
            )
            return
        position = deck.ids.index(card_id)
        following = [i for i in deck.ids[position + 1 :] if i not in sort.piles]
        unsorted = following or sort.unsorted(deck)
        self.redirect(f"/v?card={unsorted[0]}" if unsorted else "/v/top", status=303)


class TopFive(Base):
    """``/v/top``: pick the top five of the very-important pile, one place at a time."""

    page = "values-top"

    def get(self) -> None:
        if self.need_device() is None:
            return
        self._show()

    def _show(self, error: str = "", status: int = 200) -> None:
        deck = self.deck
        sort = read_sort(self.state.session, self.device.couple_code, self.device.partner, deck)
        very = sort.pile("very", deck)
        wanted = min(TOP_N, len(very))
        self.render_page(
            "top5.html",
            status=status,
            ranked=[deck.card(i) for i in sort.top5],
            choices=[deck.card(i) for i in very if i not in sort.top5],
            place=len(sort.top5) + 1,
            complete=len(sort.top5) >= wanted,
            unsorted=len(sort.unsorted(deck)),
            very_count=len(very),
            error=error,
        )

    async def post(self) -> None:
        if self.need_device() is None:
            return
        deck = self.deck
        session, code, partner = self.state.session, self.device.couple_code, self.device.partner
        try:
            async with self.state.lock(self.device):
                if self.get_body_argument("action", "") == "clear":
                    ranking = []
                else:
                    sort = read_sort(session, code, partner, deck)
                    ranking = [*sort.top5, self.get_body_argument("pick", "")[:60]]
                await _off_loop(set_top5, session, code, partner, ranking, deck, "phone")
        except InputError:
            self._show(error=self.t(_("Please choose one of the cards shown.")), status=400)
            return
        self.redirect("/v/top", status=303)


class Words(Base):
    """``/w``: the room's one-word appreciation (one to three words)."""

    page = "words"

    def get(self) -> None:
        if self.need_device() is None:
            return
        self._show()

    def _show(self, error: str = "", status: int = 200, typed: list[str] | None = None):
        rules = load_appreciation(language=self.content_language).words
        given = words_of(self.state.session, self.device.couple_code, self.device.partner)
        typed = typed if typed is not None else given
        self.render_page(
            "words.html",
            status=status,
            slots=[typed[i] if i < len(typed) else "" for i in range(rules.max)],
            saved=bool(given) and not error,
            max_length=rules.max_length,
            error=error,
        )

    def post(self) -> None:
        if self.need_device() is None:
            return
        rules = load_appreciation(language=self.content_language).words
        typed = [self.get_body_argument(f"word{i}", "")[:60] for i in range(rules.max)]
        try:
            check_words(typed, rules)
            save_words(
                self.state.session,
                self.device.couple_code,
                self.device.partner,
                typed,
                source="phone",
            )
        except InputError:
            self._show(
                error=self.t(
                    _(
                        "Please write one to three single words, letters only. Some words "
                        "are kept off the board; if yours was, please choose another."
                    )
                ),
                status=400,
                typed=typed,
            )
            return
        self.redirect("/w", status=303)


class Notes(Base):
    """``/n``: notes to the partner, private until their writer shares them.

    Only the writer's own notes are listed; the partner's notes are never shown here.
    """

    page = "notes"

    def get(self) -> None:
        if self.need_device() is None:
            return
        self._show()

    def _show(self, error: str = "", status: int = 200, text: str = "") -> None:
        own = read_notes(self.state.session, self.device.couple_code, self.device.partner)
        self.render_page(
            "notes.html",
            status=status,
            notes=own,
            error=error,
            text=text,
            form="/n",
        )

    def post(self) -> None:
        if self.need_device() is None:
            return
        session, code, partner = self.state.session, self.device.couple_code, self.device.partner
        action = self.get_body_argument("action", "add")
        try:
            if action == "add":
                text = self.get_body_argument("text", "")
                save_note(session, code, partner, text, shared=False, source="phone")
            elif action in ("share", "unshare"):
                note_id = self.get_body_argument("note", "")[:60]
                set_note_shared(session, code, partner, note_id, action == "share")
            else:
                raise InputError(f"action must be add, share or unshare; not {action!r}")
        except InputError:
            self._show(
                error=self.t(_("Please write a few words (at most 1,000 letters).")),
                status=400,
                text=self.get_body_argument("text", "")[:1000],
            )
            return
        self.redirect("/n", status=303)


class CalmPlan(Base):
    """``/p``: this partner's calm-down plan (signal, break length, how to come back)."""

    page = "plan"

    def get(self) -> None:
        if self.need_device() is None:
            return
        plan = calm_down_plan(self.state.session, self.device.couple_code, self.device.partner)
        self._show(plan.as_dict() if plan else {})

    def _show(self, chosen: dict, error: str = "", status: int = 200) -> None:
        content = load_exercises(language=self.content_language).calm_down
        self.render_page(
            "plan.html",
            status=status,
            intro=content.intro,
            signals=content.signals,
            minutes=content.break_minutes,
            come_back=content.come_back,
            chosen=chosen,
            saved=bool(chosen) and not error,
            error=error,
        )

    def post(self) -> None:
        if self.need_device() is None:
            return
        fields = {
            "signal": self.get_body_argument("signal", ""),
            "signal_text": self.get_body_argument("signal_text", "")[:200],
            "break_minutes": self.get_body_argument("break_minutes", ""),
            "come_back": self.get_body_argument("come_back", ""),
            "come_back_text": self.get_body_argument("come_back_text", "")[:200],
        }
        try:
            minutes = int(fields["break_minutes"]) if fields["break_minutes"].isdigit() else None
            plan = check_calm_down_plan(
                fields["signal"],
                minutes,
                fields["come_back"],
                signal_text=fields["signal_text"],
                come_back_text=fields["come_back_text"],
            )
            save_calm_down_plan(
                self.state.session,
                self.device.couple_code,
                self.device.partner,
                plan,
                source="phone",
            )
        except InputError:
            self._show(
                fields,
                error=self.t(
                    _(
                        "Please choose a signal, a break length and a way to come "
                        "back (and write your own words where you chose that)."
                    )
                ),
                status=400,
            )
            return
        self.redirect("/p", status=303)


class Done(Base):
    """``/done``: thank you; and "forget this phone" for a phone that is not one's own."""

    page = "done"

    def get(self) -> None:
        if self.need_device() is None:
            return
        self.render_page("done.html", form="/done")

    def post(self) -> None:
        if self.need_device() is None:
            return
        dev.forget_device(self.state.session, self.get_cookie(DEVICE_COOKIE))
        self.state.forget(self.get_cookie(DEVICE_COOKIE))
        self.clear_cookie(DEVICE_COOKIE, path="/")
        self.render_page(
            "message.html",
            title=self.t(_("This phone is signed out")),
            text=self.t(_("Thank you for taking part. You can close this page.")),
            link=None,
        )


async def _off_loop(function, *args):
    """Run a slow, thread-safe call (the secret's scrypt hash) on a worker thread."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


@lru_cache(maxsize=16)
def circles_svg(level: int) -> str:
    """The IOS circle pair ``level`` (1-7) as a small inline SVG (no style attributes,
    so the page's strict Content-Security-Policy allows it).

    >>> circles_svg(1).startswith("<svg") and circles_svg(1).count("<circle") == 2
    True
    """
    radius, distance = pair_geometry(level)
    scale = 18.0
    width = (distance + 2 * radius) * scale + 4
    height = 2 * radius * scale + 4
    cx = width / 2
    left, right = cx - distance * scale / 2, cx + distance * scale / 2
    r = radius * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.1f} {height:.1f}" aria-hidden="true">'
        f'<circle cx="{left:.1f}" cy="{height / 2:.1f}" r="{r:.1f}" fill="none" '
        f'stroke="#0072B2" stroke-width="2.5"/>'
        f'<circle cx="{right:.1f}" cy="{height / 2:.1f}" r="{r:.1f}" fill="none" '
        f'stroke="#D55E00" stroke-width="2.5"/></svg>'
    )


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """One line per request: status, method, page name and time. Never the path, query,
    body, cookies or the phone's address (they could name a couple or hold an answer)."""
    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING
    LOG.log(
        level,
        "%d %s %s %.1f ms",
        status,
        handler.request.method,
        getattr(handler, "page", "page"),
        1000.0 * handler.request.request_time(),
    )


def make_app(state: State) -> tornado.web.Application:
    """The phone application: the kit's own routes, and a 404 for every other path."""
    phase = "(before|after)"
    routes = [
        (r"/", Home),
        (r"/home", Home),
        (r"/ok", Health),
        (r"/j/([A-Za-z0-9]{1,20})", Join),
        (rf"/c/{phase}", Checkin),
        (rf"/c/{phase}/done", CheckinDone),
        (rf"/c/{phase}/([0-9]{{1,3}})", Checkin),
        (r"/v", ValuesSort),
        (r"/v/top", TopFive),
        (r"/w", Words),
        (r"/n", Notes),
        (r"/p", CalmPlan),
        (r"/done", Done),
    ]
    return tornado.web.Application(
        [(pattern, handler, {"state": state}) for pattern, handler in routes]
        + [
            (
                r"/s/(phone\.css)",
                StaticFile,
                {"path": str(HERE / "static"), "state": state},
            )
        ],
        default_handler_class=NotFound,
        default_handler_args={"state": state},
        log_function=_log_request,
        compress_response=False,
        xsrf_cookies=False,
        serve_traceback=False,
        debug=False,
    )


class StaticFile(tornado.web.StaticFileHandler):
    """The one style sheet, with the same security headers as the pages."""

    page = "css"

    def initialize(self, path: str, state: State) -> None:
        super().initialize(path)
        self.state = state

    def set_default_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Cache-Control", "max-age=3600")

    def prepare(self) -> None:
        if self.request.host not in self.state.allowed_hosts:
            raise tornado.web.HTTPError(400)


__all__ = ["State", "circles_svg", "make_app"]
