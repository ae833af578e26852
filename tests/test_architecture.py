"""The arrows point one way: the clock knows no application, the API package knows no feature, the desk
knows no tracking (STYLE.md, "This house")."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "onestop"


def imported_modules(folder: str) -> dict[str, set[str]]:
    """For each module of onestop/<folder>, the onestop modules it imports (resolved to absolute names)."""
    found = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        package = ["onestop", *path.relative_to(PACKAGE).with_suffix("").parts]
        if package[-1] == "__init__":
            package = package[:-1]
        else:
            package = package[:-1]
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else []))
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE))] = {name for name in names if name.startswith("onestop")}
    return found


def offenders(folder: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    return {module: sorted(name for name in names if name.startswith(forbidden))
            for module, names in imported_modules(folder).items()
            if any(name.startswith(forbidden) for name in names)}


def test_the_calendar_imports_nothing_from_the_desk():
    assert offenders("calendar", ("onestop.reception", "onestop.tracking")) == {}


def test_the_api_package_imports_no_feature():
    features = ("onestop.reception", "onestop.procedures", "onestop.calendar", "onestop.tracking", "onestop.par_index")
    assert offenders("api", features) == {}


def test_reception_never_imports_tracking():
    assert offenders("reception", ("onestop.tracking",)) == {}


def test_reception_never_imports_the_outbox():
    # the outbox listens to the desk's events; the desk does not know who listens
    assert offenders("reception", ("onestop.outbox",)) == {}


def test_the_import_reader_resolves_relative_imports():
    # the check above would pass vacuously if relative imports were not resolved: reception does import the
    # calendar's rules and the API package's helpers
    names = imported_modules("reception")["reception/deadlines.py"]
    assert "onestop.calendar.rules" in names
    assert "onestop.api.api_blueprint" in imported_modules("reception")["reception/api.py"]


def test_reception_never_imports_fees():
    """The fee lines owed are reception's; what was paid is fees', which reads reception, never the other way."""
    assert offenders("reception", ("onestop.fees",)) == {}
    assert offenders("fees", ("onestop.tracking",)) == {}
    assert "onestop.reception.fee_lines" in imported_modules("fees")["fees/services.py"]


def test_the_par_index_reads_tracking_through_its_one_function_and_no_feature_imports_it():
    """par_index → tracking → …: it asks tracking.indicators for a unit's figures, never its tables; only the app
    factory and the models' list know it."""
    tracking = {module: sorted(name for name in names if name.startswith("onestop.tracking"))
                for module, names in imported_modules("par_index").items()}
    assert {module: names for module, names in tracking.items() if names} == {
        "par_index/measured.py": ["onestop.tracking", "onestop.tracking.indicators"]}
    for feature in ("tracking", "fees", "reception", "procedures", "calendar", "auth", "files"):
        assert offenders(feature, ("onestop.par_index",)) == {}
