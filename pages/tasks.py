"""Nhiệm vụ: overdue tasks by group and by responsible body."""

from __future__ import annotations

import streamlit as st

from monitoring.charts import overdue_by_body, task_list
from monitoring.model import TASK_GROUPS
from monitoring.summary import count_by_group, overdue_tasks
from ui.data import current_dataset
from ui.filters import report_date_or_stop
from ui.language import text
from ui.page import setup_page

lang = setup_page()
dataset = current_dataset()
st.header(text("Nhiệm vụ", "Tasks"))

as_of = report_date_or_stop(dataset, lang)

overdue = overdue_tasks(dataset, as_of)
groups = count_by_group(overdue)
st.metric(text("Nhiệm vụ quá hạn", "Overdue tasks"), len(overdue))
columns = st.columns(len(TASK_GROUPS))
for column, group in zip(columns, TASK_GROUPS):
    column.metric(group.text(lang), groups.get(group.key, 0))
st.caption(
    text(
        "Một nhiệm vụ có thể thuộc nhiều nhóm, nên tổng theo nhóm có thể lớn hơn số nhiệm vụ quá hạn.",
        "A task can belong to several groups, so the group counts can add up to more than the overdue tasks.",
    )
)

st.subheader(text("Danh sách nhiệm vụ quá hạn", "Overdue tasks"))
table = task_list(dataset, as_of, lang)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader(text("Theo cơ quan chủ trì", "By responsible body"))
bodies = overdue_by_body(dataset, as_of).rename_axis(text("Cơ quan chủ trì", "Responsible body")).rename(
    text("Số nhiệm vụ quá hạn", "Overdue tasks")
)
st.dataframe(bodies, width="stretch")
st.download_button(
    text("Tải danh sách (CSV)", "Download the list (CSV)"),
    data=table.to_csv(index=False).encode("utf-8-sig"),
    file_name=f"nhiem_vu_qua_han_{as_of:%Y-%m-%d}.csv",
    mime="text/csv",
    on_click="ignore",
)
