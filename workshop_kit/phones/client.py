"""A scripted phone: joins and answers like a participant's browser (tests, benchmarks,
and the facilitator's rehearsal with many phones on one laptop).

Plain ``http.client``: cookies kept like a browser (HttpOnly ones too), each form's CSRF
token read from the page, redirects followed. ``source`` picks the phone's own address:
on Linux every 127.x.y.z reaches the laptop, so 80 phones can have 80 addresses.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

_FORM = re.compile(
    r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf" '
    r'value="([^"]+)">'
)
_TOTAL = re.compile(r"of (\d+)</p>")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


@dataclass
class Phone:
    """One simulated phone talking to ``base`` (``http://host:port``)."""

    base: str
    source: str | None = None
    host_header: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)
    timings: list[float] = field(default_factory=list)
    think: float = 0.0
    refused_for_speed: int = 0
    patient: bool = True
    set_cookies: list[str] = field(default_factory=list)

    def __post_init__(self):
        parts = urlsplit(self.base)
        self._host, self._port = parts.hostname, parts.port
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(
                self._host,
                self._port,
                timeout=30,
                source_address=(self.source, 0) if self.source else None,
            )
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        """One request, no redirect followed; cookies from the reply are kept.

        Over the rate limit (429) nothing was saved: with ``patient`` the phone waits a
        second, as a person would, and sends it again."""
        reply = self._request(method, path, body, headers)
        while reply.status == 429 and self.patient and self.refused_for_speed < 100:
            self.refused_for_speed += 1
            time.sleep(1.0)
            reply = self._request(method, path, body, headers)
        return reply

    def _request(self, method, path, body, headers) -> Reply:
        sent = {"Host": self.host_header or f"{self._host}:{self._port}"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        start = time.perf_counter()
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.RemoteDisconnected, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        seconds = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.set_cookies.append(value)
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val.strip('"')
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        for action, token in _FORM.findall(text):
            self.forms[action.replace("&amp;", "&")] = token
        return Reply(response.status, dict(response.getheaders()), text, seconds)

    def get(self, path: str, follow: bool = True) -> Reply:
        reply = self.request("GET", path)
        while follow and reply.status in (301, 302, 303):
            reply = self.request("GET", reply.headers["Location"])
        return reply

    def post(self, path: str, fields: dict, follow: bool = True, csrf: str | None = "page"):
        """Post ``fields`` to ``path`` with the token of that form (``csrf="page"``), a
        given token, or none (``csrf=None``)."""
        data = dict(fields)
        if csrf == "page":
            data["csrf"] = self.forms.get(path, "")
        elif csrf is not None:
            data["csrf"] = csrf
        if self.think:
            time.sleep(self.think)
        reply = self.request("POST", path, urlencode(data).encode())
        self.timings.append(reply.seconds)
        while follow and reply.status in (301, 302, 303):
            reply = self.request("GET", reply.headers["Location"])
        return reply

    # -- what a participant does ------------------------------------------------------
    def join(self, join_code: str, couple_code: str, partner: str, secret: str) -> Reply:
        """Open the join link, give the couple code and partner, then set or enter the
        secret. Returns the last reply (the activity list when it worked)."""
        path = f"/j/{join_code}"
        self.get(path)
        reply = self.post(path, {"couple_code": couple_code, "partner": partner})
        if reply.status != 200 or 'name="secret"' not in reply.body:
            return reply
        fields = {"couple_code": couple_code, "partner": partner, "secret": secret}
        if 'name="secret_again"' in reply.body:
            fields["secret_again"] = secret
        return self.post(path, fields)

    def checkin(self, phase: str, answer) -> int:
        """Answer every check-in screen: ``answer(number, page_html)`` gives the value to
        send (a string), or None to skip. Returns how many screens were answered."""
        reply = self.get(f"/c/{phase}/1")
        total = int(_TOTAL.search(reply.body).group(1))
        answered = 0
        for number in range(1, total + 1):
            path = f"/c/{phase}/{number}"
            if path not in self.forms:
                reply = self.get(path)
            value = answer(number, reply.body)
            fields = {"action": "skip"} if value is None else {"value": value}
            reply = self.post(path, fields)
            if reply.status != 200:
                raise RuntimeError(f"screen {number} refused: {reply.status}")
            answered += 1
        return answered


@dataclass
class RoomRun:
    """What :func:`simulate_room` measured: answer round-trips (seconds, one per saved
    answer), bare round-trips to ``/ok`` taken during the same run, and how it ended."""

    answer_seconds: list[float]
    bare_seconds: list[float]
    completed: int
    failed: list[str]
    waited_for_rate_limit: int
    wall_seconds: float


def _answer_for(number: int, body: str) -> str | None:
    """A plausible answer: yes to the yes/no screens, else a middle value; a few skipped."""
    if 'value="yes"' in body:
        return "yes" if number % 2 else "no"
    if number % 11 == 0:
        return None
    return "4" if 'value="4"' in body else "3"


def simulate_room(
    base: str,
    join_code: str,
    people: list[tuple[str, str]],
    think: float = 1.0,
    phase: str = "before",
    first_address: int = 10,
) -> RoomRun:
    """Many phones at once, each on a thread and an address of its own (127.0.0.x):
    join, then answer the whole check-in with ``think`` seconds before each answer.

    While they answer, a probe asks ``/ok`` (the barest page) every 50 ms, so the answers'
    round-trips can be compared with a bare request to the same server in the same run.
    """
    import threading

    answers: list[float] = []
    bare: list[float] = []
    failed: list[str] = []
    waited = [0]
    lock = threading.Lock()
    done = threading.Event()

    def one(index: int, couple_code: str, partner: str) -> None:
        octets = first_address + index
        phone = Phone(base, source=f"127.0.{octets // 250}.{octets % 250 + 2}", think=think)
        try:
            reply = phone.join(join_code, couple_code, partner, f"pw{couple_code}{partner}1")
            if reply.status != 200:
                raise RuntimeError(f"join refused ({reply.status})")
            phone.timings.clear()
            phone.checkin(phase, _answer_for)
            with lock:
                answers.extend(phone.timings)
                waited[0] += phone.refused_for_speed
        except Exception as exc:  # counted and reported, never hidden
            with lock:
                failed.append(f"{couple_code}{partner}: {exc}")
        finally:
            phone.close()

    def probe() -> None:
        phone = Phone(base, source="127.0.0.2")
        while not done.is_set():
            reply = phone.request("GET", "/ok")
            if reply.status == 200:
                bare.append(reply.seconds)
            time.sleep(0.05)
        phone.close()

    start = time.perf_counter()
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    threads = [
        threading.Thread(target=one, args=(i, code, partner), daemon=True)
        for i, (code, partner) in enumerate(people)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    prober.join()
    return RoomRun(
        answers, bare, len(people) - len(failed), failed, waited[0], time.perf_counter() - start
    )
