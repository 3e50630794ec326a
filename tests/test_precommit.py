"""The pre-commit hooks end to end, with the real pre-commit: it installs this package's hooks (from a snapshot of the
working tree, as a git repository given by its path) into a temporary home, in a fresh site repository that has no
``schemas/`` folder; commits that keep the site clean pass, commits that break it are blocked.

pre-commit installs the hook repository with pip, so the package index must be reachable (as for ``make``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT, page_text, write_frames

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
SOLEUS = dict(permalink="/muscle/leg/soleus/", title="The soleus muscle of the leg", stem="Leg-Soleus", image_id="legsoleus",
              description="The soleus is a broad, flat muscle deep in the calf; it joins the heel tendon and points the foot down.")


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_", "VIRTUAL_ENV", "PYTHONPATH"))}
    home = tmp / "home"
    home.mkdir()
    who = {"GIT_AUTHOR_NAME": "Author", "GIT_AUTHOR_EMAIL": "author@example.org", "GIT_COMMITTER_NAME": "Author",
           "GIT_COMMITTER_EMAIL": "author@example.org"}
    return {**env, **who, "HOME": str(home), "PRE_COMMIT_HOME": str(tmp / "pre-commit-cache"), "XDG_CACHE_HOME": str(home / ".cache"),
            "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}


def _run(env, cwd, *cmd, check=True) -> subprocess.CompletedProcess:
    """``cmd`` with its standard error in its ``stdout`` (git prints what hooks say on standard error)."""
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    print(f"$ {' '.join(map(str, cmd))}  (exit {p.returncode})\n{p.stdout}")
    if check:
        assert p.returncode == 0, p.stdout
    return p


def _hook_repository(dest: Path, env) -> str:
    """This package as the working tree has it, committed in a git repository of its own; returns the commit."""
    dest.mkdir()
    shutil.copytree(PROJECT / "pipeline", dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(PROJECT / name, dest / name)
    _run(env, dest, "git", "init", "-q")
    _run(env, dest, "git", "add", "-A")
    _run(env, dest, "git", "commit", "-q", "-m", "snapshot")
    return _run(env, dest, "git", "rev-parse", "HEAD").stdout.strip()


def _site(root: Path, hooks: Path, rev: str) -> None:
    (root / "pages").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\npages = ["pages"]\nimages = "images"\n\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/leg/"]\n'
    )
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: atlas-lint\n      - id: atlas-lint-site\n"
    )
    (root / "pages" / "leg-lateral.md").write_text(page_text())
    write_frames(root / "images", "Leg-Lateral", range(1, 5))


def _commit(env, site: Path, *paths: str, message: str, check=True) -> subprocess.CompletedProcess:
    _run(env, site, "git", "add", "-A", *paths)
    return _run(env, site, "git", "commit", "-m", message, check=check)


def _undo(env, site: Path, *files: str) -> None:
    _run(env, site, "git", "reset", "-q")
    for f in files:
        (site / f).unlink()


def test_pre_commit_hooks(tmp_path):
    assert PRE_COMMIT.is_file(), f"pre-commit (the test extra) is not installed beside {sys.executable}"
    env = _env(tmp_path)
    rev = _hook_repository(tmp_path / "hooks", env)
    site = tmp_path / "site"
    _site(site, tmp_path / "hooks", rev)
    assert not (site / "schemas").exists()
    _run(env, site, "git", "init", "-q")
    _run(env, site, str(PRE_COMMIT), "install")

    first = _commit(env, site, message="a clean site")
    assert "atlas page lint" in first.stdout and "Failed" not in first.stdout

    (site / "README.md").write_text("# The atlas\n\nHow to write a page: copy one.\n")
    readme = _commit(env, site, message="readme")
    assert "atlas page lint" in readme.stdout and "Passed" in readme.stdout and "Failed" not in readme.stdout

    (site / "pages" / "leg-soleus.md").write_text(page_text(**SOLEUS))  # its renders were never made
    missing = _commit(env, site, message="a page without renders", check=False)
    assert missing.returncode == 1 and "pages/leg-soleus.md:" in missing.stdout and "IMG001" in missing.stdout
    _undo(env, site, "pages/leg-soleus.md")

    (site / "pages" / "leg-lateral-copy.md").write_text(page_text(stem="Leg-Lateral2", image_id="leglateral2"))
    write_frames(site / "images", "Leg-Lateral2", range(1, 5))
    copied = _commit(env, site, message="a page with a copied permalink", check=False)
    assert copied.returncode == 1 and "FM004" in copied.stdout
    assert "pages/leg-lateral-copy.md:3:12: FM004 permalink /muscle/leg/lateral/ is also declared by pages/leg-lateral.md" in copied.stdout
    _undo(env, site, "pages/leg-lateral-copy.md", *(f"images/muscles/png/Leg-Lateral2-{n}.png" for n in range(1, 5)))

    _run(env, site, "git", "rm", "-q", "images/muscles/png/Leg-Lateral-3.png")
    deleted = _commit(env, site, message="a render deleted", check=False)
    assert deleted.returncode == 1
    assert "atlas page lint" in deleted.stdout and "(no files to check)Skipped" in deleted.stdout
    assert "pages/leg-lateral.md:" in deleted.stdout and "IMG001" in deleted.stdout and "Leg-Lateral-3.png" in deleted.stdout
