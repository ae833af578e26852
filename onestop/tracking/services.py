"""What the public status page shows of an application: what the applicant needs, no personal data."""
from ..reception.models import Application


def masked(name: str) -> str:
    """'Nguyễn Thị Ngọc Ánh' -> 'Nguyễn T. N. Á.': enough for the applicant to recognise, no more."""
    parts = name.split()
    return " ".join([parts[0]] + [part[0] + "." for part in parts[1:]]) if parts else ""


def public_status(application: Application) -> dict:
    """The applicant's name (a person's masked, an organisation's in full: it is no personal data),
    the changes of status, and while the clock is paused, since when and what the applicant must bring."""
    name = application.applicant_name
    steps = [(event.happened_at, event.to_status) for event in application.events if event.to_status != event.from_status]
    pause = None
    if application.status == "waiting_supplement":
        request = next(event for event in reversed(application.events) if event.type == "request_supplement")
        pause = {"since": request.at, "items": (request.data or {}).get("items", [])}
    return {"applicant": name if application.applicant_kind == "organisation" else masked(name),
            "steps": steps, "pause": pause}
