"""Demo applications (placeholder until reception lands)."""


def load_applications(agencies, users, count=300):
    return []
