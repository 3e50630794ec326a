"""Every test module on disk is collected: a folder name pytest skips by default ('build', 'dist') or a wrong
setting must not silently drop tests from CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import visited_test_files

TESTS = Path(__file__).resolve().parent


def modules_on_disk(path: Path = TESTS) -> list[Path]:
    return sorted(p.resolve() for p in path.rglob("test_*.py") if "fixtures" not in p.relative_to(path).parts)


def _whole_suite(config) -> bool:
    args = [Path(a.split("::")[0]).resolve() for a in config.args]
    return not args or args == [TESTS] or args == [TESTS.parent]


def test_every_test_module_is_collected(request):
    if not _whole_suite(request.config):
        pytest.skip("only a part of the suite was asked for")
    on_disk = modules_on_disk()
    assert len(on_disk) > 10, "test modules not found where expected"
    missing = [p for p in on_disk if p not in visited_test_files(request.config)]
    assert not missing, "test modules pytest did not collect (check norecursedirs and folder names): " + ", ".join(
        str(p.relative_to(TESTS.parent)) for p in missing
    )
