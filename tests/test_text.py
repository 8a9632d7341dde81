"""Text normalisation: one script for the triage, the writer's for display."""

import pytest

from classifiers.text import as_written, normalise


def test_traditional_and_full_width_text_is_normalised():
    assert normalise("審計報告第１２頁") == "审计报告第12页"


@pytest.mark.parametrize("value, original, expected", [
    ("大华实业有限公司", "由於…大華實業有限公司 財務總監", "大華實業有限公司"),
    ("星澜科技股份有限公司", "星澜科技股份有限公司 财务总监", "星澜科技股份有限公司"),
    (None, "任何文字", None),
])
def test_client_name_is_shown_as_the_client_wrote_it(value, original, expected):
    assert as_written(value, original) == expected
