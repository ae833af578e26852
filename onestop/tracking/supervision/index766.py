"""The six groups of Decision 766/QĐ-TTg (2022), the index of service to citizens and businesses, scored from what
this system records, with the weights kept in the settings (`index_766_weights`)."""
from ... import settings


def index_766(block: dict, complaints: dict, catalogue: dict, fees: dict | None = None) -> dict:
    """The six groups of Decision 766/QĐ-TTg (2022), scored with the configured weights where this system holds
    the data; the rest is marked as not measured here (None)."""
    weights = settings.get("index_766_weights")
    parts = settings.get("index_766_satisfaction_parts")

    def share(value):
        return None if value is None else value / 100.0

    # digitisation (số hóa): files received with every component digitised, and results digitised, equally
    digitised = [share(rate) for rate in (block["digitised_share"], block["results_digitised_share"])
                 if rate is not None]
    satisfaction_measured = [(parts["complaints_on_time"], share(complaints["on_time_rate"])),
                             (parts["service_satisfaction"], share(block["ratings"]["satisfied_share"]))]
    groups = {
        "transparency": (weights["transparency"], share(catalogue["complete_share"])),
        "progress": (weights["progress"], share(block["on_time_rate"])),
        "online_service": (weights["online_service"], share(block["online_share"])),
        # of the files with a fee of procedures offering online payment, the share paid online (fees.counting)
        "online_payment": (weights["online_payment"], share((fees or {}).get("online_payment", {}).get("rate"))),
        "satisfaction": (weights["satisfaction"], None),
        "digitisation": (weights["digitisation"], sum(digitised) / len(digitised) if digitised else None),
    }
    result = {}
    for name, (weight, rate) in groups.items():
        result[name] = {"weight": weight, "rate": None if rate is None else round(100 * rate, 1),
                        "score": None if rate is None else round(weight * rate, 2),
                        "measured_weight": weight if rate is not None else 0}
    measured = [(weight, rate) for weight, rate in satisfaction_measured if rate is not None]
    result["satisfaction"].update(
        score=round(sum(weight * rate for weight, rate in measured), 2) if measured else None,
        measured_weight=sum(weight for weight, _ in measured))
    scored = [group for group in result.values() if group["score"] is not None]
    result["total"] = {"score": round(sum(group["score"] for group in scored), 2),
                       "measured_weight": sum(group["measured_weight"] for group in scored),
                       "weight": sum(weights.values())}
    return result
