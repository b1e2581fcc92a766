"""Webhooks: POST each alert event as JSON, retrying with exponential back-off, logged in `deliveries`.

An event is claimed in the delivery log (unique per webhook and event) before it is sent
and marked delivered after a 2xx answer, so a rerun, or a second `notify` process, never
sends a delivered event again. Connection errors, timeouts, 408, 429 (honouring
Retry-After) and 5xx are retried (tenacity); other 4xx answers mark the event rejected.
A run stopped between the receiver's answer and the log write leaves the event "sending";
after `stale_after` seconds it is sent again with the same `X-Forcewatch-Event` id, which
receivers can use to drop that one duplicate.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import and_, or_, select, update
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from forcewatch.publish.events import Event, events
from forcewatch.publish.tables import deliveries
from forcewatch.store.db import Store, now
from forcewatch.web.data import Filters

USER_AGENT = "forcewatch/0.1"


class Retryable(Exception):
    """A failure worth another try (network, timeout, 408, 429, 5xx)."""

    def __init__(self, message: str, code: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


@dataclass
class NotifyReport:
    delivered: list[str] = field(default_factory=list)
    already: int = 0  # settled (delivered or rejected) for this webhook by earlier runs
    failed: list[tuple[str, str]] = field(default_factory=list)  # (event id, problem): retried next run
    rejected: list[tuple[str, str]] = field(default_factory=list)  # the receiver refused it (4xx)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class Sender:
    """Posts one payload, retrying with exponential back-off (`backoff` * 2**n seconds, at most `max_wait`)."""

    def __init__(
        self,
        client: httpx.Client,
        tries: int = 5,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        secret: str | None = None,
    ) -> None:
        self.client, self.tries, self.backoff, self.max_wait, self.secret = client, tries, backoff, max_wait, secret
        self.exponential = wait_exponential(multiplier=backoff, max=max_wait)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_wait)
        return float(self.exponential(state))

    def post(self, url: str, event_id: str, body: bytes) -> tuple[int, int]:
        """(status code, attempts) of a 2xx answer or a final 4xx; raises Retryable when tries run out."""
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Forcewatch-Event": event_id}
        if self.secret:
            digest = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Forcewatch-Signature"] = f"sha256={digest}"
        attempts = 0

        def once() -> int:
            nonlocal attempts
            attempts += 1
            try:
                response = self.client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:  # connection refused, reset, timeout...
                raise Retryable(f"{type(exc).__name__}: {exc}") from exc
            code = response.status_code
            if code in (408, 429) or code >= 500:
                raise Retryable(f"HTTP {code}", code, _retry_after(response.headers.get("retry-after")))
            return code

        retrying = Retrying(
            stop=stop_after_attempt(self.tries), wait=self._wait, retry=retry_if_exception_type(Retryable), reraise=True
        )
        try:
            code = retrying(once)
        except Retryable as exc:
            exc.args = (f"{exc.args[0]} after {attempts} attempts",)
            exc.attempts = attempts  # type: ignore[attr-defined]
            raise
        return code, attempts


def _claim(store: Store, target: str, event: Event, stale_after: float) -> bool:
    """Take the event for sending; False if it is delivered, rejected, or being sent by another run."""
    stamp = now()
    with store.engine.begin() as conn:
        inserted = conn.execute(
            store.insert(deliveries)
            .values(
                target=target,
                event_id=event.id,
                incident_id=event.incident_id,
                status="sending",
                attempts=0,
                created_at=stamp,
                updated_at=stamp,
            )
            .on_conflict_do_nothing(index_elements=["target", "event_id"]),
            execution_options={"preserve_rowcount": True},
        )
        if inserted.rowcount == 1:
            return True
        stale = stamp - timedelta(seconds=stale_after)
        taken = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.target == target,
                deliveries.c.event_id == event.id,
                or_(
                    deliveries.c.status == "failed",
                    and_(deliveries.c.status == "sending", deliveries.c.updated_at < stale),
                ),
            )
            .values(status="sending", updated_at=stamp),
            execution_options={"preserve_rowcount": True},
        )
        return taken.rowcount == 1


def _record(
    store: Store, target: str, event_id: str, status: str, attempts: int, code: int | None, error: str | None
) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(deliveries)
            .where(deliveries.c.target == target, deliveries.c.event_id == event_id)
            .values(
                status=status,
                attempts=deliveries.c.attempts + attempts,
                last_code=code,
                last_error=error,
                updated_at=now(),
            )
        )


def delivered_ids(store: Store, target: str) -> set[str]:
    with store.engine.connect() as conn:
        q = select(deliveries.c.event_id).where(
            deliveries.c.target == target, deliveries.c.status.in_(("delivered", "rejected"))
        )
        return set(conn.scalars(q))


def watermark(store: Store, target: str) -> int:
    """The history id below which every event is settled for `target` (delivered or rejected).

    Events are numbered by their first history row, so a run need only read events after
    the oldest unsettled one (failed, or still sending) or, if none, after the newest settled.
    """
    c = deliveries.c
    with store.engine.connect() as conn:
        ids = conn.execute(select(c.event_id, c.status).where(c.target == target)).all()
    open_ = [int(e[1:]) for e, status in ids if status in ("failed", "sending")]
    if open_:
        return min(open_) - 1
    return max((int(e[1:]) for e, _ in ids), default=0)


def delivery_log(store: Store, target: str | None = None) -> list[dict[str, object]]:
    """Every delivery row (for `forcewatch notify --log` and tests)."""
    q = select(deliveries).order_by(deliveries.c.id)
    if target:
        q = q.where(deliveries.c.target == target)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def notify(
    store: Store,
    target: str,
    f: Filters,
    sender: Sender,
    since: datetime | None = None,
    stale_after: float = 600.0,
    on_event: Callable[[Event, str], None] | None = None,
) -> NotifyReport:
    """Deliver every event of the matching incidents not yet delivered to `target`, oldest first."""
    done = delivered_ids(store, target)
    report = NotifyReport(already=len(done))
    for event in events(store, f, limit=None, after_id=watermark(store, target), since=since, newest_first=False):
        if event.id in done:
            continue
        if not _claim(store, target, event, stale_after):
            report.already += 1
            continue
        body = json.dumps({"event": event.as_json()}, ensure_ascii=False, default=str).encode("utf-8")
        try:
            code, attempts = sender.post(target, event.id, body)
        except Retryable as exc:
            _record(store, target, event.id, "failed", getattr(exc, "attempts", 1), exc.code, str(exc))
            report.failed.append((event.id, str(exc)))
            if on_event:
                on_event(event, f"failed: {exc}")
            continue
        if 200 <= code < 300:
            _record(store, target, event.id, "delivered", attempts, code, None)
            report.delivered.append(event.id)
            if on_event:
                on_event(event, f"delivered (HTTP {code})")
        else:
            _record(store, target, event.id, "rejected", attempts, code, f"HTTP {code}")
            report.rejected.append((event.id, f"HTTP {code}"))
            if on_event:
                on_event(event, f"rejected (HTTP {code})")
    return report
