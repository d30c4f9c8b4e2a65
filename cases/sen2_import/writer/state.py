"""What an import keeps while it runs: who is importing, what the file has matched so far."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cases.models import Establishment
from cases.sen2_import.reader import Header
from cases.sen2_import.report import Rejection, Sen2ImportReport
from cases.services.common import actor_name, actor_user
from send_cms.audit.middleware import current_request_id


class ImportState:
    """The state an import run keeps between batches; each step of the run is a subclass."""

    def __init__(self, *, actor: Any, header: Header, report: Sen2ImportReport) -> None:
        self.header = header
        self.layout = header.layout
        self.report = report
        self.user = actor_user(actor)
        self.actor_name = actor_name(actor)
        self.request_id = current_request_id() or ""
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.seen_upns: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str, Any], int] = {}
        self.claimed: dict[Any, int] = {}  # child id: the line of the person matched to it
        self.establishments: dict[tuple[str, str], Establishment] = {}
        self.pending: dict[tuple[str, str], Establishment] = {}  # placeholders not yet saved
        self.pending_lines: dict[tuple[str, str], int] = {}
        self.touched: list[Any] = []  # children whose records changed: their deadlines
        self._reference: int | None = None

    def _reject(self, line: int, person: str, reasons: Iterable[str]) -> None:
        self.report.rejections.append(Rejection(line=line, person=person, reasons=tuple(reasons)))
