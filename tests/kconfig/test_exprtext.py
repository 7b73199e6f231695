"""kconfig.exprtext: conditions as a person reads them."""

from __future__ import annotations

import pytest

from ckptlint.kconfig.exprtext import readable


@pytest.mark.parametrize("expr,text", [
    ("(y) && ((!((((y))))))", "n"),          # 2.6.16 frv: sys_newfstatat is never built
    ("y && ((!y))", "n"),
    ("(MMU) && ((ARCH_HAS_PKEYS))", "MMU && ARCH_HAS_PKEYS"),
    ("(y) && (CHECKPOINT)", "CHECKPOINT"),
    ("(A || B) && (C)", "(A || B) && C"),
    ("((A && B)) || C", "A && B || C"),
    ("!(!(X))", "X"),
    ("!(A || B)", "!(A || B)"),
    ("(A = y) && !(B != m)", "A = y && !(B != m)"),
    ("A && (A)", "A"),
    ("n || X", "X"),
    ("y || X", "y"),
    ('ARCH = "x86"', 'ARCH = "x86"'),
    ("A && ((B || (C || D)))", "A && (B || C || D)"),
])
def test_readable(expr, text):
    assert readable(expr) == text


@pytest.mark.parametrize("expr", ["A &&", "(A", "A )", "A ~ B", ""])
def test_text_that_does_not_parse_is_kept(expr):
    assert readable(expr) == expr.strip()
