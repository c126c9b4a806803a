"""The kit's working context: OUR adapter for the style, pointed at the vendor's base URL
through a recording transport, and the few things every module needs (fresh requests per
scenario, one flow run without routing or retries, the sandbox control, a webhook
receiver on loopback).

A flow is run here directly rather than through ``KYC`` so that the first error the
vendor causes is the one a module sees (routing would retry or fall back).
See docs/conformance.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from kyc_sdk.client import _Deadline, _mapped_transport_errors, run_flow
from kyc_sdk.conformance.receiver import Receiver
from kyc_sdk.conformance.recorder import Recorder, RecordingTransport, Tamper
from kyc_sdk.deadline_transport import within
from kyc_sdk.errors import InputError
from kyc_sdk.models import Subject, VerificationRequest, VerificationResult
from kyc_sdk.providers import provider_class
from kyc_sdk.providers.base import AnyProvider, Flow, KitFacts, ProviderSettings, WebhookEvent
from kyc_sdk.sandbox import apply_scenario, sample_request, scenario, scenarios
from kyc_sdk.sandbox.scenarios import Scenario
from kyc_sdk.validation import validate_request

CONTROL = "/_sim"


@dataclass(frozen=True)
class Options:
    """How a run behaves; the defaults suit a vendor's own endpoint."""

    plan: str = "full"
    deadline: float = 30.0  # seconds one verification may take
    webhook_wait: float = 5.0  # seconds to wait for a verification's final webhook
    budget_p50_ms: float = 1000.0
    budget_p95_ms: float = 3000.0
    only: tuple[str, ...] = ()  # module name patterns to run (fnmatch); empty: the whole plan
    #: where the webhook receiver listens, and the URL the vendor is told to deliver to
    #: (empty: the listening address; a remote vendor needs a reachable host or a tunnel)
    receiver_host: str = "127.0.0.1"
    receiver_port: int = 0
    receiver_url: str = ""

    def __post_init__(self) -> None:
        # a nan or negative time would fail every module, blamed on the vendor
        for name in ("deadline", "webhook_wait", "budget_p50_ms", "budget_p95_ms"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise InputError(f"Options.{name} is a finite number above zero, not {value!r}")


class Kit:
    """One run's state: settings, recorder, HTTP client, receiver, shared findings."""

    def __init__(
        self,
        style: str,
        settings: ProviderSettings,
        options: Options,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.style, self.settings, self.options = style, settings, options
        self.adapter_class = provider_class(style)
        #: What the kit must know of the style: the adapter class says (docs/conformance.md).
        self.facts: KitFacts = self.adapter_class.kit
        self.credentials: tuple[str, ...] = settings.credentials()
        self.callback_field: str | None = settings.callback_field()
        self.recorder = Recorder()
        self.http = httpx.Client(transport=RecordingTransport(self.recorder, transport))
        self.shared: dict[str, Any] = {}  # findings one module leaves for another
        self._receiver: Receiver | None = None
        self._stack = contextlib.ExitStack()
        self._run_id = uuid.uuid4().hex[:8]
        self._count = 0

    @property
    def base_url(self) -> str:
        return self.settings.base_url.rstrip("/")

    def close(self) -> None:
        self._stack.close()
        self.http.close()

    # Requests and flows --------------------------------------------------------------

    def provider(self, **overrides: Any) -> AnyProvider:
        settings = dataclasses.replace(self.settings, **overrides) if overrides else self.settings
        return self.adapter_class(settings)

    def scenarios(self) -> tuple[Scenario, ...]:
        return scenarios(self.style)

    def request(self, name: str = "approved", reference: str | None = None) -> VerificationRequest:
        """A fresh request for scenario ``name`` (a new reference unless one is given)."""
        self._count += 1
        ref = reference or f"conf-{self._run_id}-{self._count}"
        base = sample_request(VerificationRequest(Subject(), reference=ref))
        return apply_scenario(base, scenario(self.style, name))

    def verify(
        self, request: VerificationRequest, provider: AnyProvider | None = None, tamper: Tamper | None = None
    ) -> VerificationResult:
        """Run one flow to its end; raises the ``KycError`` the vendor's answers lead to."""
        adapter = provider or self.provider()
        request = validate_request(request)
        self.recorder.tamper = tamper
        try:
            with _mapped_transport_errors(adapter.name):
                return self._drive(adapter, request)
        finally:
            self.recorder.tamper = None

    def fetch(self, event: WebhookEvent) -> VerificationResult:
        """Read from the vendor what a webhook announced (the adapter's ``fetch`` flow)."""
        adapter = self.provider()
        with _mapped_transport_errors(adapter.name):
            return self._run(adapter, adapter.fetch(event, now=time.time))

    def _drive(self, adapter: AnyProvider, request: VerificationRequest) -> VerificationResult:
        return self._run(adapter, adapter.flow(request, now=time.time, wait=True))

    def _run(self, adapter: AnyProvider, flow: Flow) -> VerificationResult:
        deadline = _Deadline(time.monotonic() + self.options.deadline, time.monotonic)
        return run_flow(flow, adapter, deadline, send=self.http.send, sleep=time.sleep, now=time.time)

    # Sandbox control and webhooks ----------------------------------------------------------

    def control(self, method: str, path: str, body: Any = None) -> httpx.Response | None:
        """Call the style's sandbox control under ``/_sim``; None when it is unreachable."""
        try:
            with within(10.0):
                return self.http.request(method, self.base_url + CONTROL + path, json=body, timeout=10.0)
        except httpx.HTTPError:
            return None

    def receiver(self) -> Receiver:
        if self._receiver is None:
            self._receiver = self._stack.enter_context(_started(Receiver(), self.options))
        return self._receiver


@contextlib.contextmanager
def _started(receiver: Receiver, options: Options) -> Iterator[Receiver]:
    with receiver.running(options.receiver_host, options.receiver_port, options.receiver_url):
        yield receiver
