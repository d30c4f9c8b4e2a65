"""A workflow as data: which step each status allows, where it leads, and why it is refused.

Every record with a journey (the assessment request, its advice, the annual review, the appeal,
the panel meeting) has the same questions asked of it: may this step be taken now, what status
does it lead to, which steps may the page offer next, and what does the caseworker read when a
step is out of order. Each app writes its table once, as `Transition` rows, and asks this one
type, so the services (which refuse with `TransitionNotAllowed`, a 409 in the API), the pages
(which show only the buttons that will work) and the API can never disagree.

Pure Python: no models, no ORM, so the tables can be read and tested on their own.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

from send_cms.common.exceptions import TransitionNotAllowed

StepT = TypeVar("StepT", bound=str)


@dataclass(frozen=True)
class Transition(Generic[StepT]):
    """One step of a workflow: the statuses it may be taken from and the status it leads to.

    `to_status` None: the step records something (a date, an exception, a consultation) and
    the status stays as it was. `refusal` is the message for any other status; it may name the
    current status as `{status}` and the step's destination as `{to_status}`.
    """

    step: StepT
    allowed_from: frozenset[str]
    to_status: str | None
    refusal: str
    label: str = ""


@dataclass(frozen=True)
class Refusal(Generic[StepT]):
    """A more precise refusal for some steps in some statuses (the orders people most often get
    wrong: "Record the review meeting before the decision"). The first that matches wins."""

    steps: frozenset[StepT]
    statuses: frozenset[str]
    message: str


class Workflow(Generic[StepT]):
    """A record's workflow table and the questions every app asks of it.

    `statuses` are all the statuses the record can have, so a typo in a transition fails at
    import and `by_status` has a row (possibly empty) for each. `phrase` turns a status into the
    words a refusal uses inside a sentence ("final plan issued").
    """

    def __init__(
        self,
        *,
        statuses: Iterable[str],
        transitions: Sequence[Transition[StepT]],
        refusals: Sequence[Refusal[StepT]] = (),
        phrase: Callable[[str], str] = str,
    ) -> None:
        self.statuses: tuple[str, ...] = tuple(statuses)
        known = set(self.statuses)
        table: dict[StepT, Transition[StepT]] = {}
        for transition in transitions:
            if transition.step in table:
                raise ValueError(f"Step {transition.step!r} appears twice")
            to = {transition.to_status} if transition.to_status is not None else set()
            if unknown := (transition.allowed_from | to) - known:
                raise ValueError(f"Step {transition.step!r} names unknown statuses {unknown}")
            table[transition.step] = transition
        for refusal in refusals:
            if unknown := (refusal.steps - table.keys()) | (refusal.statuses - known):
                raise ValueError(f"A refusal names unknown steps or statuses {unknown}")
        #: step -> its transition, in the order of the journey (the order pages list steps in).
        self.transitions: Mapping[StepT, Transition[StepT]] = MappingProxyType(table)
        self._by_name: dict[str, Transition[StepT]] = {str(k): v for k, v in table.items()}
        self.refusals: tuple[Refusal[StepT], ...] = tuple(refusals)
        self.phrase = phrase

    def allowed(self, step: StepT | str, status: str) -> bool:
        """May `step` be taken from `status`? (An unknown step is never allowed.)"""
        transition = self._by_name.get(step)
        return transition is not None and status in transition.allowed_from

    def next_status(self, step: StepT | str, status: str) -> str:
        """The status `step` leads to from `status` (the same one for a step that only records
        something), or `TransitionNotAllowed` with the refusal when the step is not allowed."""
        if not self.allowed(step, status):
            raise TransitionNotAllowed(self.refusal(step, status))
        return self._by_name[step].to_status or status

    def allowed_steps(self, status: str) -> list[StepT]:
        """The steps `status` allows, in the order of the table (for buttons, forms, the API)."""
        return [step for step, t in self.transitions.items() if status in t.allowed_from]

    def refusal(self, step: StepT | str, status: str) -> str:
        """Why `step` is refused in `status`, in the words a caseworker needs to act on."""
        message = next(
            (r.message for r in self.refusals if step in r.steps and status in r.statuses),
            None,
        )
        transition = self._by_name[step]
        target = transition.to_status
        return (message or transition.refusal).format(
            status=self.phrase(status), to_status=self.phrase(target) if target else ""
        )

    def by_status(self) -> Mapping[str, Mapping[StepT, str]]:
        """The table turned around: status -> {step: status it leads to}, every status a row."""
        return MappingProxyType(
            {
                status: MappingProxyType(
                    {step: self.next_status(step, status) for step in self.allowed_steps(status)}
                )
                for status in self.statuses
            }
        )
