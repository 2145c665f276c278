"""Tables for ``st.table``, which renders every cell as Markdown."""

from __future__ import annotations

import re

import pandas as pd

from monitoring.formatting import problems_table, severity_label
from monitoring.problems import ERROR, WARNING, ValidationReport

# ASCII punctuation, which CommonMark lets a backslash escape. Streamlit's own
# directives (":red[…]", ":material/…:", "$…$") start with some of these characters too.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

# Streamlit Markdown for each level: a colour and an icon from the Material Symbols font
# that Streamlit serves itself, so it shows on a closed network. The word stays,
# because colour alone doesn't tell every reader the level.
_LEVEL_MARKDOWN = {
    ERROR: ":red[:material/error: **{}**]",
    WARNING: ":orange[:material/warning: {}]",
}


def escape_markdown(value: str) -> str:
    """Escape ``value`` so that Markdown shows it as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)


def problems_screen_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """Return the problems of a report for ``st.table``: levels in colour, other text escaped."""
    labels = {
        severity: template.format(escape_markdown(severity_label(severity, lang)))
        for severity, template in _LEVEL_MARKDOWN.items()
    }
    table = problems_table(report, lang, labels)
    for column in table.columns[1:]:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(lambda cell: escape_markdown(cell) if isinstance(cell, str) else cell)
    return table
