"""Hostile vendor answers: every adapter's flow, fed real sandbox answers with one of them
spoilt, must end in a result or a ``KycError`` (never another exception), and a
scenario the vendor did not approve must not come out APPROVED.

How: each scenario of each style runs once against its in-process sandbox and every
answer is recorded. A hypothesis example then replays that scenario's answers to a fresh
adapter, through a real ``httpx.Client`` (a ``MockTransport`` serving the recording in
order, the last answer again when the flow asks for more), with one answer mutated:
its JSON (a value's type, a dropped or duplicated key, non-ASCII/NUL/surrogate text, huge
numbers, deep nesting) or the answer itself (status, content type and encoding,
truncation, another body, garbled headers).

Which mutations could legitimately approve: a vendor that answers with its approving
word (``approved``, ``GREEN``, ``1012``, ``matched: true``…) IS approving, whatever it
said before. So no mutation here writes a vendor word or flips a boolean; each makes an
answer less meaningful (a value of the wrong type, a missing key, noise), so any
APPROVED from a scenario that was not approved is an adapter reading approval into
noise. (Borealis signs its answers: mutated bodies are signed again, as a vendor that
itself sends nonsense would.)

CI runs ``hostile-ci`` (seeded, 60 examples a style); ``--hostile-long`` runs 5000 a
style and prints the counts.
"""

from __future__ import annotations

import collections
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyc_sdk import KYC, Decision, KycError, Subject, VerificationRequest, VerificationResult
from kyc_sdk.client import _mapped_transport_errors
from kyc_sdk.providers import STYLES
from kyc_sdk.providers._signing import hmac_hex
from kyc_sdk.providers.base import Wait
from kyc_sdk.sandbox import Sandboxes, apply_scenario, provider, sample_request, scenarios
from kyc_sdk.validation import validate_request

COUNTS: collections.Counter[str] = collections.Counter()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    content: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def with_header(self, name: bytes, value: bytes | None) -> Answer:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name)
        return replace(self, headers=kept + (((name, value),) if value is not None else ()))

    def __repr__(self) -> str:  # short enough to read in a failure report
        body = self.content[:300] + (b"..." if len(self.content) > 300 else b"")
        return f"Answer({self.status}, {dict(self.headers)!r}, {body!r})"


@dataclass(frozen=True)
class Recording:
    style: str
    scenario: str
    request: VerificationRequest
    answers: tuple[Answer, ...]
    approved: bool  # the scenario's own outcome

    def __repr__(self) -> str:
        return f"Recording({self.style}/{self.scenario}, {len(self.answers)} answers)"


class _Recorder(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.answers: list[Answer] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        headers = tuple((k.lower(), v) for k, v in response.headers.raw if k.lower() != b"content-length")
        self.answers.append(Answer(response.status_code, headers, content))
        return response


@cache
def recordings(style: str) -> tuple[Recording, ...]:
    made = []
    for item in scenarios(style):
        request = validate_request(
            apply_scenario(
                sample_request(VerificationRequest(Subject(), reference=f"hostile-{style}-{item.name}")), item
            )
        )
        with Sandboxes([style]) as sb:
            recorder = _Recorder(sb.transport)
            with KYC(sb.providers(), transport=recorder) as kyc:
                try:
                    outcome = kyc.verify(request, deadline=30).decision
                except KycError:
                    outcome = None
        approved = outcome is Decision.APPROVED
        made.append(Recording(style, item.name, request, tuple(recorder.answers), approved))
    return tuple(made)


def replay(recording: Recording, spoil: Callable[[int, Answer], Answer]) -> VerificationResult:
    """Run a fresh adapter's flow over the recorded answers, ``spoil`` applied to each."""
    served = iter(range(10_000))

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        i = next(served)
        got = spoil(i, recording.answers[min(i, len(recording.answers) - 1)])
        return httpx.Response(got.status, headers=list(got.headers), content=got.content)

    adapter = provider(recording.style)
    flow = adapter.flow(recording.request, now=time.time, wait=True)
    with httpx.Client(transport=httpx.MockTransport(answer)) as http, _mapped_transport_errors(adapter.name):
        try:
            step = next(flow)
            for _ in range(2_000):  # every flow polls a bounded number of times
                step = next(flow) if isinstance(step, Wait) else flow.send(http.send(step))
            raise AssertionError(f"{recording.style} flow did not end")
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        finally:
            flow.close()


# Mutations ----------------------------------------------------------------------------


class Raw(str):
    """JSON text written as it stands (deep nesting, which json.dumps would recurse on)."""


@dataclass(frozen=True)
class Twice:
    """A key written twice in its object: ``extra`` before or after ``value``."""

    value: Any
    extra: Any
    extra_first: bool


def dump(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            if isinstance(item, Twice):
                pair = (item.extra, item.value) if item.extra_first else (item.value, item.extra)
                parts += [json.dumps(key) + ":" + dump(v) for v in pair]
            else:
                parts.append(json.dumps(key) + ":" + dump(item))
        return "{" + ",".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value)  # NaN and Infinity too, as a careless vendor writes them


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from paths(child, (*at, key))


def put(body: Any, path: tuple[Any, ...], change: Callable[[Any, Any], Any]) -> Any:
    """``body`` with ``change(parent, key)`` done at ``path`` (on a deep copy)."""
    body = json.loads(json.dumps(body))
    if not path:
        return change(None, None)
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    change(parent, path[-1])
    return body


NASTY_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "é",
            "ی",
            "\u200f",
            "\ud800",
            "🙂",
            "../../etc/passwd",
            "http://evil.example/x",
            "https://[::1",
            "x" * 70_000,
            "%00",
            "\r\nX-Injected: 1",
        ]
    ),
    st.text(max_size=20),
)
HUGE_NUMBERS = st.sampled_from(
    [10**30, -(10**30), 2**63, -1, 0, 1e308, -1e308, float("inf"), float("-inf"), float("nan"), 0.5]
)
OTHER_TYPES = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def json_mutation(draw: st.DrawFn, body: Any) -> bytes:
    path = draw(st.sampled_from(list(paths(body))))
    op = draw(st.sampled_from(["retype", "drop", "duplicate", "text", "number", "deep"]))
    if op == "deep":
        depth = draw(st.sampled_from([50, 3000, 200_000]))
        new: Any = Raw("[" * depth + "]" * depth)
    else:
        new = draw({"text": NASTY_TEXT, "number": HUGE_NUMBERS}.get(op, st.one_of(OTHER_TYPES, NASTY_TEXT)))
    extra_first = draw(st.booleans())

    def change(parent: Any, key: Any) -> Any:
        if parent is None:  # the root: the whole body becomes the new value
            return new
        if op == "drop":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, new)
        elif op == "duplicate":
            parent[key] = Twice(parent[key], new, extra_first)
        else:
            parent[key] = new
        return None

    return dump(put(body, path, change)).encode()


STATUSES = [200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 415, 422, 429, 500, 502, 503, 599]
HEADER_NAMES = [
    b"content-type",
    b"retry-after",
    b"date",
    b"x-hmac-signature",
    b"ratelimit-reset",
    b"location",
]
HEADER_VALUES = [
    b"",
    b"\xff\xfe",
    "é".encode(),
    b"text/html",
    b"application/json; charset=utf-16",
    b"-1",
    b"Wed, 21 Oct 2015 07:28:00 GMT",
    b"9" * 400,
]
BODIES = [
    b"",
    b"null",
    b"[]",
    b"{}",
    b'"text"',
    b"1e999",
    b"\xff\xfe\x00",
    b"<html>502 Bad Gateway</html>",
    b"{" * 100_000,
]


@st.composite
def answer_mutation(draw: st.DrawFn, answer: Answer) -> Answer:
    op = draw(st.sampled_from(["status", "encoding", "truncate", "body", "header"]))
    if op == "status":
        return replace(answer, status=draw(st.sampled_from(STATUSES)))
    if op == "encoding":
        encoding = draw(st.sampled_from([b"gzip", b"br", b"deflate", b"zstd"]))
        return answer.with_header(b"content-encoding", encoding)
    if op == "truncate":
        return replace(
            answer, content=answer.content[: draw(st.integers(0, max(len(answer.content) - 1, 0)))]
        )
    if op == "body":
        return replace(answer, content=draw(st.sampled_from(BODIES)))
    name = draw(st.sampled_from(HEADER_NAMES + [k for k, _ in answer.headers]))
    return answer.with_header(name, draw(st.sampled_from([None, *HEADER_VALUES])))


@st.composite
def spoilt(draw: st.DrawFn, recording: Recording) -> tuple[int, Answer]:
    """(index, mutated answer) for one of the recording's answers."""
    index = draw(st.integers(0, len(recording.answers) - 1))
    answer = recording.answers[index]
    try:
        body = json.loads(answer.content)
    except ValueError:
        body = None
    if body is not None and draw(st.booleans()):
        mutated = replace(answer, content=draw(json_mutation(body)))
    else:
        mutated = draw(answer_mutation(answer))
    signature = answer.header(b"x-hmac-signature")
    if recording.style == "borealis" and signature and mutated.header(b"x-hmac-signature") == signature:
        from kyc_sdk.sandbox.borealis import SECRETS

        mutated = mutated.with_header(b"x-hmac-signature", hmac_hex(SECRETS[0], mutated.content).encode())
    return index, mutated


@pytest.mark.parametrize("style", STYLES)
def test_spoilt_answers_end_in_a_result_or_a_typed_error(
    style: str, hostile_profile: Any, hostile_long: bool
) -> None:
    made = recordings(style)
    assert all(r.answers for r in made)

    @hostile_profile
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        recording = data.draw(st.sampled_from(made))
        index, mutated = data.draw(spoilt(recording))
        COUNTS["inputs"] += 1
        try:
            result = replay(recording, lambda i, a: mutated if i == index else a)
        except KycError as err:
            COUNTS[f"typed:{err.code}"] += 1
            return
        COUNTS[f"result:{result.decision.value}"] += 1
        assert recording.approved or result.decision is not Decision.APPROVED, (
            f"{style}/{recording.scenario}: answer {index} spoilt into an approval"
        )

    check()
    if hostile_long:
        print(f"\n{style}: {dict(sorted(COUNTS.items()))}")
    COUNTS.clear()


def test_replaying_unspoilt_answers_gives_each_scenarios_own_outcome() -> None:
    """The harness itself: without a mutation, every recording replays to its outcome."""
    for style in STYLES:
        for recording in recordings(style):
            try:
                decision = replay(recording, lambda i, a: a).decision
            except KycError:
                decision = None
            assert (decision is Decision.APPROVED) == recording.approved, (style, recording.scenario)


# What the campaign found, kept as fixed cases (each crashed or approved before its fix) -----


def _at(
    style: str, name: str, path: tuple[Any, ...], change: Callable[[Any, Any], Any], *, last: bool = False
) -> tuple[Recording, int, Answer]:
    """The scenario's recording and its first (or last) answer holding ``path``, changed."""
    recording = next(r for r in recordings(style) if r.scenario == name)
    found = []
    for i, answer in enumerate(recording.answers):
        try:
            body = json.loads(answer.content)
            put(body, path, lambda parent, key: parent[key])  # raises when the path is not there
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        found.append((i, replace(answer, content=dump(put(body, path, change)).encode())))
    index, spoilt_answer = found[-1] if last else found[0]
    return recording, index, spoilt_answer


def _set(value: Any) -> Callable[[Any, Any], Any]:
    def change(parent: Any, key: Any) -> None:
        parent[key] = value

    return change


def _drop(parent: Any, key: Any) -> None:
    del parent[key]


FOUND = {
    "aurora applicant not an object": ("aurora", "approved", ("applicants",), _set([1]), False),
    "aurora document side unhashable": ("aurora", "approved", ("documents",), _set([{"side": []}]), False),
    "aurora listed check not an object": ("aurora", "approved", ("checks",), _set([5]), False),
    "aurora report result unhashable": ("aurora", "declined", ("result",), _set(["consider"]), True),
    "aurora check missing a report": ("aurora", "face_mismatch", ("report_ids", 1), _drop, True),
    "aurora report id breaks the URL": ("aurora", "approved", ("report_ids", 0), _set("\b"), True),
    "status word unhashable (map_status)": (
        "cirrus",
        "declined",
        ("reviewStatus",),
        _set(["completed"]),
        True,
    ),
    "cirrus reject labels not a list": (
        "cirrus",
        "declined",
        ("reviewResult", "rejectLabels"),
        _set(7),
        True,
    ),
    "fjord Actions word unhashable": (
        "fjord",
        "declined",
        ("result", "Actions", "Liveness_Check"),
        _set(["Failed"]),
        True,
    ),
    "fjord NUL in the upload URL": (
        "fjord",
        "approved",
        ("upload_url",),
        _set("http://fjord.sandbox/u\x00p"),
        False,
    ),
    "fjord answer timestamp a lone surrogate": ("fjord", "approved", ("timestamp",), _set("\ud800"), True),
    "gilan non-ASCII login token": ("gilan", "approved", ("authToken",), _set("tokén"), False),
    "delta non-ASCII access token": ("delta", "approved", ("access_token",), _set("tokén"), False),
    "echo inquiry id climbs the path": ("echo", "approved", ("data", "id"), _set("../../admin"), False),
    "echo inquiry id with NUL": ("echo", "approved", ("data", "id"), _set("a\x00b"), False),
    "delta processed without liveness": ("delta", "review", ("capabilities", "liveness"), _drop, True),
    "hirkan JSON nested too deeply": (
        "hirkan",
        "declined",
        ("data",),
        _set(Raw("[" * 200_000 + "]" * 200_000)),
        False,
    ),
}


#: Answers that are still usable after the change (an ignored odd entry): the flow goes on.
USABLE = {"aurora document side unhashable", "cirrus reject labels not a list"}


@pytest.mark.parametrize("case", sorted(FOUND))
def test_what_the_campaign_found_stays_fixed(case: str) -> None:
    style, name, path, change, last = FOUND[case]
    recording, index, spoilt_answer = _at(style, name, path, change, last=last)
    if case in USABLE:
        replay(recording, lambda i, a: spoilt_answer if i == index else a)
        return
    with pytest.raises(KycError):  # refused as the protocol error it is, not approved, not a crash
        replay(recording, lambda i, a: spoilt_answer if i == index else a)


def test_a_non_ascii_signature_header_is_a_bad_signature_not_a_crash() -> None:
    recording = next(r for r in recordings("borealis") if r.scenario == "declined")
    index = next(i for i, a in enumerate(recording.answers) if a.header(b"x-hmac-signature"))
    spoilt_answer = recording.answers[index].with_header(b"x-hmac-signature", "é".encode())
    with pytest.raises(KycError):
        replay(recording, lambda i, a: spoilt_answer if i == index else a)
