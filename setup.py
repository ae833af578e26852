"""Packaging: setup.cfg holds the metadata; this adds the build step that ships the top-level folders inside the
package, so an installed onestop (`pip install .`, a wheel) finds its templates and migrations without the checkout.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("templates", "migrations")  # kept at the top of the repository, copied into onestop/ in the wheel


class build_py_with_bundled_folders(build_py):
    """The usual build, then templates/ and migrations/ copied under onestop/ (what onestop.resource() looks for)."""

    def run(self):
        super().run()
        for name in BUNDLED:
            source = HERE / name
            if source.is_dir():
                target = Path(self.build_lib) / "onestop" / name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_bundled_folders})
