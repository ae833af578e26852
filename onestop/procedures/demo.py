"""Demo catalogue (placeholder until the catalogue lands)."""


def load_catalogue(agencies):
    return []
