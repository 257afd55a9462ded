#!/usr/bin/env python3
"""Set up chengxin on a fresh machine and run it. Needs only Python >= 3.11.

    python3 dev.py demo [--port P] [...]   create .venv, install, build the demo district, serve it
    python3 dev.py test [pytest args]      install the test tools too, lint, and run every test
                                           (in parallel, with line coverage and its floor)

Both are idempotent: the virtualenv is reused and pip runs only when a requirements file changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(*args: str | Path, **kwargs: object) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def ensure_virtualenv(requirements: str) -> None:
    """Create .venv and install requirements/<name>.txt plus chengxin itself, when changed."""
    if sys.version_info < (3, 11):
        sys.exit("chengxin needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if not PYTHON.exists():
        say(f"creating {VENV.relative_to(ROOT)}/")
        venv.create(VENV, with_pip=True)
    inputs = [ROOT / "pyproject.toml", *sorted((ROOT / "requirements").glob("*.txt"))]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing pinned dependencies (requirements/{requirements}.txt)")
    pip = [PYTHON, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "install", "-r", ROOT / "requirements" / f"{requirements}.txt")
    run(*pip, "install", "--no-deps", "-e", ROOT)
    stamp.write_text(digest)


# Front-end files from npm (pinned in package-lock.json), copied where Django serves them from.
VENDOR = ROOT / "chengxin" / "core" / "static" / "vendor"
VENDOR_FILES = {
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    "echarts/LICENSE": "echarts/LICENSE",
}


def ensure_frontend() -> None:
    """Install the npm packages the pages use and copy their files into static/vendor/."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".chengxin-installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(
                "npm (Node.js) is needed to install the chart library: apt-get install nodejs npm"
            )
        say("installing front-end packages (npm ci)")
        run(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
        stamp.write_text(digest)
    for source, target in VENDOR_FILES.items():
        destination = VENDOR / target
        origin = ROOT / "node_modules" / source
        if not destination.exists() or destination.stat().st_mtime < origin.stat().st_mtime:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, destination)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when we may (root with apt)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's chromium for the browser tests")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "chromium", env=env)
    else:
        say("chromium is not installed: the browser tests will fail under CI=true, skip otherwise")


# The CJK font the credit report PDF embeds (portal/credit_report.py): Google Fonts' Noto Sans SC
# as complete TTF files, one per weight, taken from an npm package (no CDN on government
# intranets). Web-font packages split into unicode-range subsets render wrong glyphs in
# WeasyPrint, and WOFF2 is slow there: these TTFs cover all of CJK Unified Ideographs and
# Extension A, so rare name characters (堃 喆 龑 龘 靐 齉 爩) render too. Kept out of git (var/).
FONT_DIR = ROOT / "var" / "fonts"
FONT_PACKAGE = "@expo-google-fonts/noto-sans-sc@0.4.3"
FONT_FILES = {  # file in the package: (file under var/fonts, its SHA-256)
    "400Regular/NotoSansSC_400Regular.ttf": (
        "NotoSansSC-Regular.ttf",
        "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16",
    ),
    "700Bold/NotoSansSC_700Bold.ttf": (
        "NotoSansSC-Bold.ttf",
        "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96",
    ),
    "LICENSE_FONT": ("LICENSE-OFL.txt", ""),
}
# The annual report's official-document type (GB/T 9704 stand-ins, docs/adr/0025): Noto Serif SC,
# a 宋/明 serif for the title (Bold, for 小标宋) and the body (Regular), same packaging.
SERIF_FONT_PACKAGE = "@expo-google-fonts/noto-serif-sc@0.4.3"
SERIF_FONT_FILES = {
    "400Regular/NotoSerifSC_400Regular.ttf": (
        "NotoSerifSC-Regular.ttf",
        "c358a69de3df5f423a8946a7b03e3126fb6ba116f1130a463455b4e39e1f0742",
    ),
    "700Bold/NotoSerifSC_700Bold.ttf": (
        "NotoSerifSC-Bold.ttf",
        "9c6a2ba736e4b499c84f65ce366bd3625c0401885fd3e585ace50fb738b96ff6",
    ),
}


def ensure_fonts() -> None:
    """Put the reports' CJK font files into var/fonts/ (npm pack: no node_modules, no root)."""
    for package, files in ((FONT_PACKAGE, FONT_FILES), (SERIF_FONT_PACKAGE, SERIF_FONT_FILES)):
        ensure_font_package(package, files)


def ensure_font_package(package: str, files: dict[str, tuple[str, str]]) -> None:
    if all((FONT_DIR / name).exists() for name, _ in files.values()):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm (Node.js) is needed to install the report font: apt-get install nodejs npm")
    say(f"installing a CJK font for the reports ({package}, about 60 MB once)")
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        # npm checks the tarball against the registry's integrity hash; we check each file too.
        run(
            npm,
            "pack",
            package,
            "--pack-destination",
            folder,
            "--silent",
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(folder).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            for member, (name, digest) in files.items():
                source = archive.extractfile(f"package/{member}")
                assert source is not None, member
                data = source.read()
                if digest and hashlib.sha256(data).hexdigest() != digest:
                    sys.exit(f"{package} {member}: unexpected SHA-256, not installed")
                partial = FONT_DIR / f"{name}.part"
                partial.write_bytes(data)
                partial.replace(FONT_DIR / name)


def demo(args: list[str]) -> None:
    ensure_virtualenv("base")
    ensure_frontend()
    ensure_fonts()
    os.execv(BIN / "chengxin", [str(BIN / "chengxin"), "demo", *args])


def test(args: list[str]) -> None:
    ensure_virtualenv("test")
    ensure_frontend()
    ensure_fonts()
    ensure_chromium()
    say("lint: ruff, ruff format, mypy, migrations")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy", "chengxin")
    # The migration check needs no database server: run it on the embedded SQLite settings.
    settings = {k: v for k, v in os.environ.items() if k != "CHENGXIN_TEST_DATABASE_URL"}
    settings["DJANGO_SETTINGS_MODULE"] = "chengxin.test_settings"
    run(BIN / "chengxin", "makemigrations", "--check", "--dry-run", env=settings)
    # One test process per core (pytest-xdist). The whole suite also measures line coverage and
    # fails below the floor in pyproject.toml ([tool.coverage.report] fail_under); a run of chosen
    # tests (arguments given) does not.
    workers = [] if {"-n", "--numprocesses"} & set(args) else ["-n", "auto"]
    coverage = [] if args else ["--cov", "--cov-report=term:skip-covered"]
    say(f"pytest ({'whole suite, with coverage' if coverage else 'chosen tests'})")
    result = subprocess.run([PYTHON, "-m", "pytest", *workers, *coverage, *args], cwd=ROOT)
    sys.exit(result.returncode)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
