"""The ``rule`` fixture: a RuleCase (tests/rules/helper.py) for the test module's ``CODE``, writing under tmp_path."""

from __future__ import annotations

import pytest

from .helper import RuleCase


@pytest.fixture
def rule(request, tmp_path, monkeypatch) -> RuleCase:
    monkeypatch.delenv("NO_COLOR", raising=False)
    return RuleCase(request.module.CODE, tmp_path)
