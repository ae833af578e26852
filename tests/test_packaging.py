"""`pip install .` gives a working app outside the checkout: built into a fresh venv in a temporary folder, with no
packaging warnings, it upgrades a database, loads the demo and serves pages, static files and PDFs in the bundled
fonts, all from the installed package."""
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import csrf_token_from

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
# This machine's pip configuration names an index folder that may be absent; pip says so, the build does not.
PIP_INDEX_NOTICE = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$")


def copy_of_the_checkout(target: Path) -> Path:
    """The files git knows (committed or not yet), as a fresh clone would have them: no venv, no caches."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: the tree without what git would ignore
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
            ".git", ".venv", "__pycache__", "*.pyc", "instance", "build", "dist", "*.egg-info", ".pytest_cache"))
        return target
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run(*command, cwd, env=None, timeout=600) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout + done.stderr


def serve(gunicorn: Path, cwd: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port; returns the process and its base address."""
    process = subprocess.Popen([str(gunicorn), "--bind", "127.0.0.1:0", "--workers", "1", "onestop:create_app()"],
                               cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
        if found:
            return process, found.group(1)
    raise AssertionError("gunicorn did not start")


def test_the_installed_wheel_upgrades_a_database_and_serves_outside_the_checkout(tmp_path):
    source = copy_of_the_checkout(tmp_path / "source")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    bin_dir = venv / "bin"
    output = run(bin_dir / "pip", "install", "--disable-pip-version-check", source, cwd=tmp_path)
    warnings = [line for line in output.splitlines()
                if "warn" in line.lower() and not PIP_INDEX_NOTICE.match(line.strip())]
    assert warnings == []

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "SECRET_KEY": "packaging-test", "DATABASE_URL": f"sqlite:///{elsewhere / 'onestop.db'}"}
    where = run(bin_dir / "python", "-c", "import onestop; print(onestop.resource('templates')); "
                "print(onestop.resource('migrations'))", cwd=elsewhere, env=env).split()
    assert [Path(found).is_relative_to(venv) for found in where] == [True, True]
    run(bin_dir / "flask", "--app", "onestop", "db", "upgrade", cwd=elsewhere, env=env)
    run(bin_dir / "flask", "--app", "onestop", "demo", "--applications", "20", cwd=elsewhere, env=env)

    process, base = serve(bin_dir / "gunicorn", elsewhere, env)
    try:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        catalogue = browser.open(f"{base}/thu-tuc").read().decode()
        assert "Tra cứu thủ tục hành chính" in catalogue
        assert browser.open(f"{base}/static/desk.js").status == 200
        login = browser.open(f"{base}/login").read().decode()
        form = urllib.parse.urlencode({"csrf_token": csrf_token_from(login), "username": "clerk", "password": "demo"}).encode()
        desk = browser.open(f"{base}/login", data=form).read().decode()
        assert "Tiếp nhận hồ sơ" in desk
        inbox = browser.open(f"{base}/inbox").read().decode()
        code = re.search(r'href="/applications/([^"]+)"', inbox).group(1)
        receipt = browser.open(f"{base}/applications/{code}/forms/receipt.pdf").read()
        assert receipt.startswith(b"%PDF-") and b"LiberationSerif" in receipt
    finally:
        process.terminate()
        process.wait(timeout=30)
