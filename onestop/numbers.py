"""Figures as Vietnamese write them, for pages, PDFs and spreadsheets alike: 1.234 (a dot between thousands),
78,5% and 2,75 (a decimal comma), a dash for what cannot be computed."""

DASH = "–"


def figure(value, kind: str = "int") -> str:
    """int: 20182 -> '20.182'; rate: 78.5 -> '78,5%' (one decimal); days: 2.75 -> '2,75', 3.0 -> '3' (up to two
    decimals); decimal: 12.5 -> '12,5' (up to two decimals, for scores)."""
    if value is None:
        return DASH
    if kind == "rate":
        return f"{value:.1f}".replace(".", ",") + "%"
    if kind in ("days", "decimal"):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")
