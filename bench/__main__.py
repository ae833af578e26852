"""Run the benchmarks: `make bench` on fresh SQLite databases in a temporary folder (quick);
`BENCH_SCALE=1000000 DATABASE_URL=postgresql://… make bench` on a province of that many applications (seeded with
`demo --scale` if the database holds none yet), each operation beside its reference (bench/scale.py).

Targets (from the issues): a receipt prints in under a second; a 5,000-row catalogue imports in
seconds; one process logs applications fast enough for a busy desk; at a million applications the lists,
the status page, the receipt and the register stay near what the database alone takes (issue 10).
"""
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def summary(name, samples, unit="ms", scale=1000.0, target=None, note=""):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {
        "name": name, "unit": unit, "n": len(samples),
        "mean": round(statistics.fmean(samples) * scale, 3),
        "p95": round(p95 * scale, 3),
        "target": target, "note": note,
    }


BENCH_CONFIG = {"TESTING": True, "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "PUBLIC_BASE_URL": "https://motcua.example.vn", "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    if os.environ.get("BENCH_SCALE"):
        return at_scale(int(os.environ["BENCH_SCALE"]))
    from onestop import create_app, demo, settle_for_serving
    from onestop.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="onestop-bench-"))
    try:
        app = create_app({**BENCH_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}"})
        settle_for_serving()  # as wsgi.py does for every serving process
        results = []
        with app.app_context():
            db.create_all()
            agencies = demo.load_agencies()
            users = demo.load_users(agencies)
            db.session.commit()
            from . import cases

            for case in cases.ALL:
                results.extend(case(app, agencies, users, folder))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append({"name": "peak memory (RSS) of the whole run", "unit": "MB", "n": 1, "mean": round(peak_mb, 1),
                        "p95": round(peak_mb, 1), "target": None, "note": ""})
        print_table(results)
        out = {"when": datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
               "machine": platform.machine(), "results": results}
        (HERE / "results.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {HERE / 'results.json'}")
        print("\nA small province (3,000 applications, SQLite), each operation beside its reference:\n")
        scale_app = create_app({**BENCH_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'scale.db'}"})
        settle_for_serving()
        with scale_app.app_context():
            db.create_all()
            write_scale(scale_app, 3000, migrate=False, out=None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the uploads' papers alone are about 800 MB a run
    return 0


def at_scale(count: int) -> int:
    """The large run on DATABASE_URL (PostgreSQL for the targets), seeding it first if it holds no province."""
    from onestop import create_app, settle_for_serving
    from onestop.config import normalise_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='onestop-bench-')) / 'scale.db'}"
    app = create_app({**BENCH_CONFIG, "SQLALCHEMY_DATABASE_URI": normalise_database_url(url)})
    settle_for_serving()  # as wsgi.py does for every serving process
    with app.app_context():
        write_scale(app, count, migrate=True, out=HERE / "results-scale.json")
    return 0


def write_scale(app, count: int, migrate: bool, out: Path | None) -> None:
    from .scale import Scale, loadavg, print_scale

    before = loadavg()
    results = Scale(app, count, migrate).run()
    after = loadavg()
    print_scale(results, before, after)
    if out is not None:
        record = {"when": datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
                  "machine": platform.machine(), "cpus": os.cpu_count(), "database": app.config[
                      "SQLALCHEMY_DATABASE_URI"].split("@")[-1], "load_before": before, "load_after": after,
                  "results": results}
        out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")


def print_table(results):
    header = f"{'benchmark':<52} {'n':>6} {'mean':>10} {'p95':>10} {'unit':<6} target"
    print(header)
    print("-" * len(header))
    for row in results:
        p95 = "" if row["p95"] is None else row["p95"]
        print(f"{row['name']:<52} {row['n']:>6} {row['mean']:>10} {p95:>10} {row['unit']:<6} {row['target'] or ''}")


if __name__ == "__main__":
    raise SystemExit(main())
