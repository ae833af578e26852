"""Conditions that packages above reception put on its steps, without reception importing them (the arrows point
down into reception: STYLE.md, "This house").

Fees registers them at start-up (fees.init_app): an online submission of a procedure whose fees are collected
before acceptance is accepted only once they are paid, and the desk's queue says which submissions wait for it;
a result is handed back only once the fees collected at hand-back are paid.
The online desk calls `check_acceptance` before it accepts, `accepted` after, and `waiting_notes` when it lists
its queue;
lifecycle.record_event calls `check_return` before a return.
A submission here is anything with `number` and `procedure_version_id` (reception.online_models.Submission).
"""
from collections.abc import Callable

_acceptance_checks: dict[str, Callable] = {}  # name → check(submission, user): raises ReceptionError to refuse
_waiting_notes: dict[str, Callable] = {}  # name → note(submission): a short text for the queue, or None
_return_checks: dict[str, Callable] = {}  # name → check(application, user): raises ReceptionError to refuse
_accepted: dict[str, Callable] = {}  # name → after(submission_number, application): what follows an acceptance


def register_acceptance_check(name: str, check: Callable, note: Callable | None = None) -> None:
    """Add (or replace, by name: several apps in one process register once each) a condition of acceptance."""
    _acceptance_checks[name] = check
    if note is not None:
        _waiting_notes[name] = note


def check_acceptance(submission, user) -> None:
    """Raise the first refusal of any registered condition (a ReceptionError with its message and status)."""
    for check in _acceptance_checks.values():
        check(submission, user)


def waiting_notes(submission) -> list[str]:
    """What the submission still waits for before it can be accepted ("Chờ nộp phí: 50.000 đồng"), for the queue."""
    return [text for note in _waiting_notes.values() if (text := note(submission))]


def register_accepted(name: str, after: Callable) -> None:
    """What a package does once a submission became an application (fees: its payments follow it)."""
    _accepted[name] = after


def accepted(submission_number: str, application) -> None:
    for after in _accepted.values():
        after(submission_number, application)


def register_return_check(name: str, check: Callable) -> None:
    _return_checks[name] = check


def check_return(application, user) -> None:
    """Raise the first refusal of any registered condition of handing the result back."""
    for check in _return_checks.values():
        check(application, user)
