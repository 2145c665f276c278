"""Dữ liệu: where the data comes from, import with validation, templates and versions."""

from __future__ import annotations

import logging

import streamlit as st

from monitoring.formatting import problems_table, provenance_text, report_headline, versions_table
from monitoring.model import KIND_LABELS, KINDS
from monitoring.reading import FileReadError
from monitoring.templates import template_csv, template_file_name, template_xlsx
from ui.data import current_dataset, store_or_stop, validate_upload
from ui.language import text
from ui.page import setup_page

log = logging.getLogger(__name__)

# Problems listed on the page; the downloadable report has them all.
MAX_PROBLEMS_SHOWN = 200

lang = setup_page()
store = store_or_stop(lang)

st.header(text("Dữ liệu", "Data"))

st.subheader(text("Nguồn dữ liệu đang hiển thị", "Source of the data shown"))
provenance = current_dataset().provenance
for kind in KINDS:
    st.markdown(f"- **{KIND_LABELS[kind].text(lang)}**: {provenance_text(provenance.get(kind), lang)}")

st.subheader(text("Nhập dữ liệu", "Import data"))
st.write(
    text(
        "Tải lên tệp CSV hoặc Excel (.xlsx) theo mẫu, hoặc tệp xuất từ Cổng Dịch vụ công (chỉ số 766). "
        "Tệp được kiểm tra trước; tệp có lỗi không làm thay đổi dữ liệu hiện có.",
        "Upload a CSV or Excel (.xlsx) file in the template's layout, or the 766 portal export. "
        "The file is checked first; a file with errors changes nothing.",
    )
)
upload = st.file_uploader(text("Chọn tệp", "Choose a file"), type=["csv", "txt", "xlsx"], key="upload")

if upload is not None:
    try:
        report = validate_upload(upload.getvalue(), upload.name)
    except FileReadError as error:
        st.error(error.message(lang))
        report = None

    if report is not None:
        (st.error if report.error_count else st.success)(report_headline(report, lang))
        if report.problems:
            problems = problems_table(report, lang)
            st.table(problems.head(MAX_PROBLEMS_SHOWN).set_index(problems.columns[0]))
            if len(problems) > MAX_PROBLEMS_SHOWN:
                st.caption(
                    text(
                        f"Đang hiện {MAX_PROBLEMS_SHOWN} trong số {len(problems)} vấn đề; tải báo cáo để xem hết.",
                        f"Showing {MAX_PROBLEMS_SHOWN} of {len(problems)} problems; download the report for all.",
                    )
                )
            st.download_button(
                text("Tải báo cáo kiểm tra (CSV)", "Download the validation report (CSV)"),
                data=problems.to_csv(index=False).encode("utf-8-sig"),
                file_name=f"kiem_tra_{report.file_name}.csv",
                mime="text/csv",
                key="report_csv",
                on_click="ignore",
            )
        imported = st.session_state.get("imported_upload") == upload.file_id
        if report.ok and not imported and st.button(text("Nhập dữ liệu", "Import"), type="primary", key="import"):
            version = store.import_tables(report.tables, report.file_name)
            log.info("Imported %s as version %s", report.file_name, version.id)
            st.session_state["imported_upload"] = upload.file_id
            st.session_state["import_message"] = text(
                f"Đã nhập thành phiên bản {version.id}.", f"Imported as version {version.id}."
            )
            st.rerun()
        if imported and "import_message" in st.session_state:
            st.success(st.session_state["import_message"])

st.subheader(text("Tệp mẫu", "Templates"))
for kind in KINDS:
    label = KIND_LABELS[kind].text(lang)
    excel, csv = st.columns(2)
    excel.download_button(
        f"{label} (Excel)",
        data=template_xlsx(kind, lang),
        file_name=template_file_name(kind, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"template_xlsx_{kind}",
        on_click="ignore",
    )
    csv.download_button(
        f"{label} (CSV)",
        data=template_csv(kind, lang),
        file_name=template_file_name(kind, "csv"),
        mime="text/csv",
        key=f"template_csv_{kind}",
        on_click="ignore",
    )

st.subheader(text("Các phiên bản", "Versions"))
found = store.versions()
if not found:
    st.info(text("Chưa nhập dữ liệu nào: đang dùng dữ liệu mẫu.", "Nothing imported yet: the sample is shown."))
else:
    st.dataframe(versions_table(found, lang), hide_index=True, width="stretch")
    choices = [version.id for version in found] + [0]
    chosen = st.selectbox(
        text("Khôi phục phiên bản", "Restore version"),
        choices,
        format_func=lambda value: text("0 (dữ liệu mẫu)", "0 (the sample)") if value == 0 else str(value),
        key="restore_choice",
    )
    if st.button(text("Khôi phục", "Restore"), key="restore"):
        restored = store.restore(chosen)
        st.success(
            text(
                f"Đã khôi phục phiên bản {chosen} thành phiên bản mới {restored.id}.",
                f"Restored version {chosen} as version {restored.id}.",
            )
        )
        st.rerun()
