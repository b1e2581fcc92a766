"""The README's two commands, run as a new user would: in a fresh clone with no ../shared beside it.

The clone's virtual environment reaches the packages already installed for this test run through a
`.pth` line (a plain path, so no editable hook of another checkout is loaded), so pip finds every
dependency satisfied and downloads nothing but what a build needs; forcewatch itself is installed
from the clone by the README's own `pip install`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def readme_commands() -> list[str]:
    """The bash blocks of the README's first screen: set-up + first run, then the tests."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_screen = text.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", first_screen, re.S)
    assert len(blocks) == 2, "the README's first screen has the set-up command and the test command"
    return [b.strip() for b in blocks]


def run(command: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "FORCEWATCH_DB")}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of forcewatch to clone")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    dest = tmp_path_factory.mktemp("readme") / "forcewatch"
    subprocess.run(["git", "clone", "-q", str(REPO), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "-q", "--detach", head.stdout.strip()], check=True)
    assert not (dest.parent / "shared").exists()
    return dest


def test_readme_first_run_in_a_fresh_clone(clone: Path) -> None:
    setup, _ = readme_commands()
    make_venv, rest = setup.split(" && ", 1)
    assert make_venv == "python3 -m venv .venv"
    made = run(make_venv, clone, 120)
    assert made.returncode == 0, made.stderr
    version = run('.venv/bin/python -c "import sys; print(sys.version_info[:2])"', clone, 60).stdout.strip()
    if version != str(sys.version_info[:2]):
        pytest.skip(f"python3 on PATH is {version}, this test run is {sys.version_info[:2]}: cannot reuse its packages")
    site_dir = next((clone / ".venv" / "lib").glob("python3.*/site-packages"))
    (site_dir / "_test_run_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    first = run(rest, clone, 900)
    assert first.returncode == 0, first.stdout + first.stderr
    where = run('.venv/bin/python -c "import forcewatch; print(forcewatch.__file__)"', clone, 60).stdout
    assert where.startswith(str(clone)), where  # the clone's own forcewatch, installed by the README's pip
    shipped = run(
        ".venv/bin/python -c \"from importlib.resources import files; w = files('forcewatch.web');"
        " print(all(w.joinpath(p).is_file() for p in ('templates/map.html', 'static/map.js',"
        " 'static/vendor/countries-50m.json', 'static/vendor/leaflet.markercluster.js')))\"",
        clone,
        60,
    ).stdout.strip()
    assert shipped == "True"  # the web app's templates and offline map files are in the installed package
    out = first.stdout
    assert "4 stored (3 relevant), 0 already stored, 0 failed; 2 incidents updated" in out
    # the two incidents of the example corpus, and not the flower show
    assert re.search(r"Luton, GB .*Police shooting +2 +1$", out, re.M), out
    assert re.search(r"Phoenix, US .*Death or injury", out), out
    assert "2 incidents" in out and max(len(line) for line in out.splitlines()) <= 80
    assert "Hexham" not in out and (clone / "example.db").exists()


def test_readme_test_command_in_a_fresh_clone(clone: Path) -> None:
    """The README's test command on the clone, narrowed to the modules that once needed ../shared."""
    if not (clone / ".venv" / "bin" / "forcewatch").exists():
        pytest.skip("the first-run test did not install forcewatch into the clone")
    _, tests = readme_commands()
    assert tests.endswith("python -m pytest -q -rs")
    done = run(tests + " -p no:cacheprovider tests/test_web.py tests/test_store_cli.py", clone, 900)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    assert re.search(r"\d+ passed", out) and " error" not in out
    reasons = re.findall(r"^SKIPPED \[\d+\] (.*)$", out, re.M)
    assert reasons and all("../shared" in r for r in reasons), reasons  # each skip says why


def test_readme_first_screen_says_what_it_is_then_shows_it_then_the_commands() -> None:
    """Point 1 of issue 12: purpose, what you get, the screenshots, then the two commands."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_screen = text.split("\n## ", 1)[0]
    purpose = first_screen.index("turns news reports of deaths and injuries after police contact")
    what = first_screen.index("**What you get**")
    shots = [first_screen.index(f"](docs/{name}-1280.png)") for name in ("map", "incident")]
    commands = first_screen.index("```bash")
    assert purpose < what < min(shots) and max(shots) < commands
    for name in ("map", "incident", "list"):
        for width in (1280, 375):
            assert (REPO / "docs" / f"{name}-{width}.png").stat().st_size > 10_000  # taken by test_web_browser.py
    for kind in ("SQLite database", "web app", "Washington Post"):
        assert kind in first_screen[what:commands]


def test_git_ignores_the_databases_and_their_sidecars() -> None:
    """Point 3: a user's database, its write-ahead log and shared memory, and its secret are never committed."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout")
    names = ["example.db", "example.db-wal", "example.db-shm", "example.db-journal", "example.db.secret"]
    done = subprocess.run(["git", "-C", str(REPO), "check-ignore", *names], capture_output=True, text=True, check=False)
    assert done.stdout.split() == names
