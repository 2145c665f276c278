"""Nhiệm vụ: overdue, open or all tasks, by group and by responsible body, with evidence of output.

The chosen list lives in the URL (``?tasks=overdue``, ``open`` or ``all``).
"""

from __future__ import annotations

import streamlit as st

from monitoring.charts import (
    OVERDUE,
    TASK_VIEWS,
    done_without_evidence,
    download_view,
    header,
    screen_view,
    task_group_counts,
    task_table,
    task_view_counts,
    tasks_by_body,
)
from monitoring.formatting import number
from monitoring.model import TASK_GROUPS, TASKS
from ui.data import current_dataset, show_provenance
from ui.downloads import download_table
from ui.filters import choice_in_url, report_date_or_stop
from ui.language import text
from ui.page import setup_page

VIEW_LABELS = {
    "overdue": ("Quá hạn", "Overdue"),
    "open": ("Chưa hoàn thành", "Open"),
    "all": ("Tất cả", "All"),
}

VIEW_HEADINGS = {
    "overdue": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    "open": ("Nhiệm vụ chưa hoàn thành (kể cả chưa đến hạn)", "Open tasks (including those not yet due)"),
    "all": ("Tất cả nhiệm vụ", "All tasks"),
}


def view_selector() -> str:
    """Draw the choice of task list, which lives in the URL (``?tasks=open``)."""
    labels = {view: text(*VIEW_LABELS[view]) for view in TASK_VIEWS}
    return choice_in_url("tasks", text("Danh sách", "List"), labels, key="task_view", default=OVERDUE)


lang = setup_page()
dataset = current_dataset()
st.header(text("Nhiệm vụ", "Tasks"))
show_provenance(dataset, TASKS, lang)

as_of = report_date_or_stop(dataset, lang)
view = view_selector()

counts = task_view_counts(dataset, as_of)
columns = st.columns(4)
columns[0].metric(text("Nhiệm vụ quá hạn", "Overdue tasks"), number(counts["overdue"], lang))
columns[1].metric(text("Nhiệm vụ chưa hoàn thành", "Open tasks"), number(counts["open"], lang))
columns[2].metric(text("Tổng số nhiệm vụ", "All tasks"), number(counts["all"], lang))
columns[3].metric(
    text("Hoàn thành nhưng chưa có minh chứng", "Done without evidence"),
    number(done_without_evidence(dataset, as_of), lang),
)

st.subheader(text(f"{VIEW_HEADINGS[view][0]} theo nhóm", f"{VIEW_HEADINGS[view][1]} by group"))
groups = task_group_counts(dataset, as_of, view)
columns = st.columns(len(TASK_GROUPS))
for column, group in zip(columns, TASK_GROUPS):
    column.metric(group.text(lang), number(groups.get(group.key, 0), lang))
st.caption(
    text(
        "Một nhiệm vụ có thể thuộc nhiều nhóm, nên tổng theo nhóm có thể lớn hơn số nhiệm vụ.",
        "A task can belong to several groups, so the group counts can add up to more than the tasks.",
    )
)

st.subheader(text(*VIEW_HEADINGS[view]))
table = task_table(dataset, as_of, view, lang)
st.dataframe(screen_view(table, lang), hide_index=True, width="stretch")
download_table(download_view(table, lang), f"nhiem_vu_{view}_{as_of:%Y-%m-%d}", key="tasks")

st.subheader(text("Theo cơ quan chủ trì", "By responsible body"))
bodies = tasks_by_body(dataset, as_of)
st.dataframe(screen_view(bodies, lang), hide_index=True, width="stretch")
st.caption(
    text(
        f"{header('open', lang)}: kể cả nhiệm vụ quá hạn và nhiệm vụ chưa đến hạn.",
        f"{header('open', lang)}: overdue tasks and tasks not yet due.",
    )
)
download_table(download_view(bodies, lang), f"nhiem_vu_theo_co_quan_{as_of:%Y-%m-%d}", key="bodies")
