"""Hostile webhooks against every style's parser: arbitrary headers and bodies, a real
signed delivery with one mutation, and replays after any delay.

What must hold: no exception outside ``KycError`` (parsers raise only
``WebhookRejected``), no forgery accepted (nothing unsigned, no signed delivery changed
in what its signature covers, and no APPROVED out of a declined verification), no replay
accepted by a driver. The deliveries are the sandboxes' own, from a declined scenario.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyc_sdk import KYC, Decision
from kyc_sdk.errors import KycError, WebhookRejected
from kyc_sdk.providers import STYLES, _webhooks
from kyc_sdk.providers.base import WebhookEvent
from kyc_sdk.sandbox import provider
from kyc_sdk.sandbox.base import Delivery
from tests.providers.deliveries import WEBHOOK_STYLES, deliveries, sent_at, source_ip

DAY = 86400.0
TRIED: Counter[str] = Counter()  # inputs per test, printed at the end (pytest -s)

#: Header names the parsers read, so mutations and arbitrary headers reach them.
KNOWN_HEADERS = [
    "X-SHA2-Signature",
    "X-HMAC-SIGNATURE",
    "X-Payload-Digest",
    "X-Payload-Digest-Alg",
    "Echo-Signature",
    "X-Gilan-Timestamp",
    "X-Gilan-Signature",
    "Content-Type",
]


@cache
def declined(style: str) -> tuple[Delivery, ...]:
    return tuple(deliveries(style, "hostile", outcome="declined"))


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    print("\nhostile webhooks, inputs tried:", dict(sorted(TRIED.items())), "total", sum(TRIED.values()))


def parse(style: str, headers: Any, body: Any, now: float, ip: str | None) -> WebhookEvent | None:
    """The adapter's verdict: an event, or None when it raised ``WebhookRejected``. Any
    other exception fails the test (a KycError that is not WebhookRejected, too)."""
    try:
        return provider(style).parse_webhook(headers, body, now=now, source_ip=ip)
    except WebhookRejected:
        return None


# Strategies ---------------------------------------------------------------------------------

header_values = st.one_of(
    st.text(max_size=80),  # non-ASCII, control characters, surrogates
    st.text(alphabet="0123456789abcdef", min_size=40, max_size=128),  # hex that looks like a digest
    st.builds(lambda n, c: c * n, st.integers(0, 70_000), st.sampled_from(["a", "é", "=", ","])),  # huge
    st.just("t=1,v1=00 t=nan,v1=zz"),
    st.just("sha256=\u00e9\u00e9"),
    st.just("HMAC_SHA512_HEX"),
)
headers_strategy = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_HEADERS), st.text(max_size=20)), header_values, max_size=6
)


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=20,
    )


bodies = st.one_of(
    st.binary(max_size=300),  # non-UTF-8 and anything else
    st.builds(lambda v: json.dumps(v).encode(), _json_values()),
    st.builds(lambda n: b"[" * n + b"]" * n, st.integers(30, 200_000)),  # deep
    st.builds(lambda n: b'{"a":' * n + b"1" + b"}" * n, st.integers(30, 50_000)),
    st.builds(lambda n: b'"' + b"x" * n + b'"', st.sampled_from([1024 * 1024 - 2, 1024 * 1024 + 10])),  # huge
    st.builds(lambda s: s.encode("utf-16"), st.text(max_size=40)),
    st.builds(
        lambda n, tail: b'"' + b'\\"' * n + tail, st.integers(1, 400_000), st.sampled_from([b"", b"\\"])
    ),
    st.just(b'{"payload": {"object": {"id": "1e999999"}}, "timestamp": "9999-12-31T23:59:59+14:00"}'),
)
ips = st.one_of(st.none(), st.just("127.0.0.2"), st.text(max_size=40))


@pytest.mark.parametrize("style", STYLES)
def test_arbitrary_input_is_refused_and_never_crashes(style: str, hostile_profile: Any) -> None:
    now = time.time()

    @hostile_profile
    @given(headers=headers_strategy, body=bodies, ip=ips, skew=st.floats(-1e12, 1e12, allow_nan=False))
    def check(headers: dict[str, str], body: bytes, ip: str | None, skew: float) -> None:
        TRIED[f"arbitrary:{style}"] += 1
        event = parse(style, headers, body, now + skew, ip)
        # Unsigned input is never believed; only delta's allowlisted address vouches by itself.
        assert event is None or (style == "delta" and ip == "127.0.0.2")

    check()


def test_bodies_built_against_the_depth_scan_are_read_in_linear_time() -> None:
    # An unterminated string full of escaped quotes once made the scan quadratic (47 s
    # for 80 KB); at 1 MB each of these takes well under a second.
    mb = 1024 * 1024 - 16
    for body in (
        b'"' + b'\\"' * (mb // 2),
        b'"' + b'\\"' * (mb // 2) + b"\\",
        b'"' * mb,
        b"[" * mb,
        b'["' + b"[" * mb,
    ):
        started = time.monotonic()
        with pytest.raises(WebhookRejected):
            _webhooks.read_json(body, "any")
        assert time.monotonic() - started < 2.0


# One mutation of a signed, declined delivery ------------------------------------------------


def _mutations(delivery: Delivery) -> st.SearchStrategy[tuple[str, dict[str, str], bytes]]:
    """(kind, headers, body): the delivery with one thing changed."""
    body, headers = delivery.body, dict(delivery.headers)

    def flip(i: int, bit: int) -> tuple[str, dict[str, str], bytes]:
        i %= len(body)
        return "body", headers, body[:i] + bytes([body[i] ^ (1 << bit)]) + body[i + 1 :]

    def header(name: str, value: str) -> tuple[str, dict[str, str], bytes]:
        return f"header:{name.lower()}", {**headers, name: value}, body

    def drop(name: str) -> tuple[str, dict[str, str], bytes]:
        return f"header:{name.lower()}", {k: v for k, v in headers.items() if k != name}, body

    def claim(path: list[str], value: Any) -> tuple[str, dict[str, str], bytes]:
        data = json.loads(body)
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else node
        if isinstance(node, dict):
            node[path[-1]] = value
        return "body", headers, json.dumps(data).encode()

    names = sorted(headers)
    approve = st.sampled_from(
        [
            (["ResultCode"], "1012"),
            (["IsFinalResult"], "true"),
            (["reviewStatus"], "completed"),
            (["reviewResult"], {"reviewAnswer": "GREEN"}),
            (["verification", "status"], "approved"),
            (["verification", "code"], 9001),
            (["identificationprocess", "result"], "SUCCESS"),
            (["payload", "object", "status"], "complete"),
            (["data", "attributes", "name"], "inquiry.approved"),
            (["workflowExecution", "status"], "PROCESSED"),
        ]
    )
    return st.one_of(
        st.builds(flip, st.integers(0, 10**6), st.integers(0, 7)),
        st.builds(lambda n: ("body", headers, body[: n % max(len(body), 1)]), st.integers(0, 10**6)),
        st.builds(lambda extra: ("body", headers, body + extra), st.binary(min_size=1, max_size=8)),
        st.builds(lambda pv: claim(*pv), approve),
        st.builds(header, st.sampled_from(names), st.text(max_size=90)),
        st.builds(
            lambda n, v: header(n, headers[n] + v),
            st.sampled_from(names),
            st.text(min_size=1, max_size=3).filter(lambda v: not any(c.isspace() for c in v)),
        ),
        st.builds(drop, st.sampled_from(names)),
    )


def _announces(event: WebhookEvent) -> tuple[Any, ...]:
    return event.event, event.reference, event.status, event.decision


@pytest.mark.parametrize("style", WEBHOOK_STYLES)
def test_one_mutation_of_a_signed_declined_delivery_is_no_forgery(style: str, hostile_profile: Any) -> None:
    sent = declined(style)
    now = sent_at(style, sent[-1]) + 1
    for delivery in sent:  # the untouched deliveries verify, and none approves
        event = parse(style, delivery.headers, delivery.body, now, source_ip(style))
        assert event is not None and event.decision is not Decision.APPROVED

    @hostile_profile
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        delivery = data.draw(st.sampled_from(sent))
        kind, headers, body = data.draw(_mutations(delivery))
        TRIED[f"mutated:{style}"] += 1
        if headers == delivery.headers and body == delivery.body:
            return  # the mutation changed nothing
        event = parse(style, headers, body, now, source_ip(style))
        if event is None:
            return
        assert event.decision is not Decision.APPROVED, f"{kind} mutation approved a declined verification"
        if style == "fjord":  # its signature covers timestamp + partner id only: a hint at most
            assert event.hint and event.decision is None and event.status is None
        elif style == "delta":  # the allowlisted address vouches for the delivery, nothing else does
            assert parse(style, headers, body, now, "127.0.0.9") is None
        else:  # the signature covers the body: only the signed body, announcing the same
            assert body == delivery.body, f"{kind} mutation accepted"
            original = parse(style, delivery.headers, delivery.body, now, None)
            assert original is not None and _announces(event) == _announces(original)

    check()


# Replays ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", WEBHOOK_STYLES)
def test_replays_are_refused_after_any_delay(style: str, hostile_profile: Any) -> None:
    sent = declined(style)
    now = sent_at(style, sent[-1]) + 1
    with KYC([provider(style)]) as kyc:

        def first(d: Delivery) -> WebhookEvent:
            return kyc.parse_webhook(style, d.headers, d.body, now=now, source_ip=source_ip(style))

        seen = {}
        for delivery in sent:
            try:
                seen[delivery.body] = first(delivery)
            except WebhookRejected:  # an identical earlier delivery (same event, same second)
                assert delivery.body in seen

        @hostile_profile
        @given(
            delivery=st.sampled_from(sent),
            delay=st.one_of(
                st.floats(0, 400 * DAY),
                st.sampled_from(
                    [0.0, 1.0, 299.0, 301.0, 3600.0, 7 * DAY, 7 * DAY + 1, 30 * DAY, 365 * DAY + 1]
                ),
            ),
        )
        def check(delivery: Delivery, delay: float) -> None:
            TRIED[f"replay:{style}"] += 1
            with pytest.raises(KycError) as refused:
                kyc.parse_webhook(
                    style, delivery.headers, delivery.body, now=now + delay, source_ip=source_ip(style)
                )
            assert isinstance(refused.value, WebhookRejected)

        check()
