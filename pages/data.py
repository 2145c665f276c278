"""Dữ liệu: where the data comes from, import with validation, templates and versions."""

from __future__ import annotations

import logging

import streamlit as st

from geo.check import check_source, findings_table, summary_table
from geo.errors import BoundaryError
from geo.sources import attribution, open_source
from monitoring.formatting import (
    format_change,
    number,
    problems_table,
    provenance_text,
    report_file_name,
    report_headline,
    version_label,
    versions_screen_table,
)
from monitoring.model import KIND_LABELS, KINDS
from monitoring.problems import ValidationReport
from monitoring.reading import MAX_FILE_BYTES, FileReadError
from monitoring.templates import template_csv, template_file_name, template_xlsx
from ui.access import current_access, require_editor
from ui.data import current_dataset, has_current_data, preview_import, store_or_stop, validate_upload
from ui.language import text
from ui.page import setup_page
from ui.downloads import download_table
from ui.tables import escape_markdown, problems_screen_table

log = logging.getLogger(__name__)

# Problems listed on the page; the downloadable report has them all.
MAX_PROBLEMS_SHOWN = 200

# Extensions the uploader lets through. The reader takes CSV, TSV, TXT, .xlsx and .xlsm.
# .xls and .ods pass too, because the reader rejects them with a translated message that
# explains how to convert them. Streamlit rejects other types in English only.
UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"]


def show_report(report: ValidationReport, lang: str) -> None:
    """Show the headline, the problems and the report download of a validated file."""
    (st.error if report.error_count else st.success)(report_headline(report, lang))
    if not report.problems:
        return

    problems = problems_screen_table(report, lang)
    st.table(problems.head(MAX_PROBLEMS_SHOWN), hide_index=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        listed, total = number(MAX_PROBLEMS_SHOWN, lang), number(len(problems), lang)
        st.caption(
            text(
                f"Đang hiện {listed} trong số {total} vấn đề. Tải báo cáo để xem hết.",
                f"Showing {listed} of {total} problems. Download the report to see them all.",
            )
        )
    st.download_button(
        text("Tải báo cáo kiểm tra (CSV)", "Download the validation report (CSV)"),
        data=problems_table(report, lang).to_csv(index=False).encode("utf-8-sig"),
        file_name=report_file_name(report.file_name, lang),
        mime="text/csv",
        key="report_csv",
        on_click="ignore",
    )


def offer_import(report: ValidationReport, file_id: str, lang: str) -> None:
    """Show what importing a valid file would change, and import it on request."""
    replace = st.checkbox(
        text(
            "Thay toàn bộ bảng (bỏ các dòng không có trong tệp)",
            "Replace whole tables (drop rows missing from the file)",
        ),
        key="replace",
    )
    changes = preview_import(file_id, store.current_version(), replace, report.tables)
    st.markdown(text("Khi nhập, dữ liệu sẽ thay đổi như sau:", "Importing will change the data as follows:"))
    st.markdown("\n".join(f"- {format_change(kind, change, lang)}" for kind, change in changes.items()))

    button, note = st.columns([1, 4], vertical_alignment="center")
    if not any(change.changes_data for change in changes.values()):
        note.caption(
            text(
                "Nhập tệp này không làm thay đổi dữ liệu: mọi dòng trong tệp đã có sẵn và giống hệt.",
                "Importing this file changes no data: every row of the file is already stored unchanged.",
            )
        )
    if button.button(text("Nhập dữ liệu", "Import"), type="primary", key="import"):
        require_editor(lang)
        version = store.import_tables(report.tables, report.file_name, replace=replace)
        log.info("Imported %s as version %s", report.file_name, version.id)
        st.session_state["import_result"] = {"upload": file_id, "version": version.id}
        st.rerun()


def restore_chosen() -> None:
    """Restore the version chosen in the list, unless its data is already current.

    A button callback runs before the page script, so it may set the list's choice: after
    a restore the list shows the version before the new one, which is the old current one.
    """
    if not current_access().can_edit:
        log.warning("User %r without the editor role tried to restore a version", current_access().user)
        st.session_state["restore_result"] = {"denied": True}
        return
    chosen = st.session_state["restore_choice"]
    current = store.current_version()
    if has_current_data(store, chosen):
        st.session_state["restore_result"] = {"chosen": chosen, "current": current, "version": None}
        return
    restored = store.restore(chosen)
    st.session_state["restore_result"] = {"chosen": chosen, "current": current, "version": restored.id}
    st.session_state["restore_choice"] = current


def offer_restore(found: list, lang: str) -> None:
    """Let the user choose an earlier version and make its data current again."""
    current = found[0].id
    labels = {version.id: version_label(version, lang, current=version.id == current) for version in found}
    labels[0] = version_label(None, lang)
    # The choice starts at the version before the current one (or the sample), because
    # restoring the current version would change nothing. It is set through the session
    # state and not `index`, because `restore_chosen` sets it too.
    if st.session_state.get("restore_choice") not in labels:
        st.session_state["restore_choice"] = list(labels)[1]
    st.selectbox(
        text("Khôi phục phiên bản", "Restore version"),
        list(labels),
        format_func=labels.__getitem__,
        key="restore_choice",
    )
    st.button(text("Khôi phục", "Restore"), key="restore", on_click=restore_chosen)

    # The callback leaves its outcome here, and the message is shown once.
    result = st.session_state.pop("restore_result", None)
    if result is None:
        return
    if result.get("denied"):
        st.error(text("Chỉ người biên tập mới được khôi phục dữ liệu.", "Only editors may restore data."))
        return
    chosen, version = result["chosen"], result["version"]
    if version is not None:
        st.success(
            text(
                f"Đã khôi phục phiên bản {chosen} thành phiên bản mới {version}.",
                f"Restored version {chosen} as the new version {version}.",
            )
        )
    elif chosen == result["current"]:
        st.info(
            text(
                f"Phiên bản {chosen} đang là phiên bản hiện tại, nên không có gì để khôi phục.",
                f"Version {chosen} is already the current version, so there is nothing to restore.",
            )
        )
    else:
        st.info(
            text(
                f"Phiên bản {chosen} có cùng dữ liệu với phiên bản hiện tại ({result['current']}), "
                "nên không tạo phiên bản mới.",
                f"Version {chosen} has the same data as the current version ({result['current']}), "
                "so no new version was made.",
            )
        )


@st.cache_data(show_spinner=False)
def boundary_check(location: str) -> dict:
    """Reconcile the boundary source at ``location`` with the official list, once per server."""
    return check_source()


def show_boundary_source(lang: str) -> None:
    """Name the boundary source in use and, on request, its reconciliation report."""
    try:
        source = open_source()
    except BoundaryError as error:
        log.error("Failed to open the boundary source: %s", error.message("en"))
        st.error(error.message(lang))
        return
    # A server path is for the people who run the app, not for every viewer of a hosted link.
    if current_access().can_edit:
        kind = text("thư mục", "folder") if source.kind == "folder" else text("tải về từ", "downloaded from")
        st.markdown(f"- {text('Nguồn', 'Source')}: {kind} `{source.location}`")
    st.markdown(f"- {escape_markdown(attribution(lang))}")
    if not st.toggle(text("Xem báo cáo đối chiếu với danh mục chính thức", "Show the reconciliation with the official list"), key="boundary_check"):
        return

    try:
        with st.spinner(text("Đang đối chiếu ranh giới…", "Reconciling the boundaries…")):
            report = boundary_check(source.location)
    except BoundaryError as error:
        log.error("Failed to reconcile the boundaries at %s: %s", source.location, error.message("en"))
        st.error(error.message(lang))
        return
    verified = text("đã khớp mã SHA-256", "SHA-256 verified") if report["hashes_verified"] else text("chưa kiểm mã SHA-256", "SHA-256 not checked")
    st.caption(verified)
    st.dataframe(summary_table(report, lang), hide_index=True, width="stretch")
    findings = findings_table(report, lang)
    if not findings.empty:
        st.dataframe(findings, hide_index=True, width="stretch")
        download_table(findings, text("doi_chieu_ranh_gioi", "boundary_reconciliation"), "boundary_findings")


def import_section(lang: str) -> None:
    """Let an editor upload, check and import a file."""
    st.write(
        text(
            "Tải lên tệp CSV hoặc Excel (.xlsx) theo mẫu, hoặc tệp xuất từ Cổng Dịch vụ công (chỉ số 766). "
            "Tệp được kiểm tra trước; tệp có lỗi không làm thay đổi dữ liệu hiện có.",
            "Upload a CSV or Excel (.xlsx) file in the template's layout, or the 766 portal export. "
            "The file is checked first; a file with errors changes nothing.",
        )
    )
    upload = st.file_uploader(text("Chọn tệp", "Choose a file"), type=UPLOAD_TYPES, key="upload")
    # The drop zone's own text ("Drag and drop a file here", "20MB per file", "Upload") comes
    # from Streamlit's browser code in English and can't be translated, so this caption gives
    # the formats and the limit in the chosen language.
    limit_mb = number(MAX_FILE_BYTES / (1024 * 1024), lang)
    st.caption(
        text(
            f"Nhận tệp CSV, TSV, TXT hoặc Excel (.xlsx, .xlsm), tối đa {limit_mb} MB mỗi tệp. "
            "Tệp .xls và .ods cần lưu lại thành .xlsx trước.",
            f"Accepts CSV, TSV, TXT or Excel (.xlsx, .xlsm) files of up to {limit_mb} MB each. "
            ".xls and .ods files must first be saved as .xlsx.",
        )
    )

    if upload is not None:
        try:
            with st.spinner(text("Đang kiểm tra tệp…", "Checking the file…")):
                report = validate_upload(upload.getvalue(), upload.name)
        except FileReadError as error:
            st.error(error.message(lang))
            report = None

        if report is not None:
            show_report(report, lang)
            result = st.session_state.get("import_result")
            if result and result["upload"] == upload.file_id:
                st.success(text(f"Đã nhập thành phiên bản {result['version']}.", f"Imported as version {result['version']}."))
            elif report.ok:
                offer_import(report, upload.file_id, lang)


lang = setup_page()
store = store_or_stop(lang)

st.header(text("Dữ liệu", "Data"))

st.subheader(text("Nguồn dữ liệu đang hiển thị", "Source of the data shown"))
provenance = current_dataset().provenance
for kind in KINDS:
    st.markdown(f"- **{KIND_LABELS[kind].text(lang)}**: {provenance_text(provenance.get(kind), lang, quote=escape_markdown)}")

st.subheader(text("Ranh giới hành chính", "Boundaries"))
show_boundary_source(lang)

st.subheader(text("Nhập dữ liệu", "Import data"))
if current_access().can_edit:
    import_section(lang)
else:
    st.info(text("Chỉ người biên tập mới nhập và khôi phục dữ liệu.", "Only editors import and restore data."))

st.subheader(text("Tệp mẫu", "Templates"))
for kind in KINDS:
    label = KIND_LABELS[kind].text(lang)
    excel, csv = st.columns(2)
    excel.download_button(
        f"{label} (Excel)",
        data=template_xlsx(kind, lang),
        file_name=template_file_name(kind, "xlsx", lang),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"template_xlsx_{kind}",
        on_click="ignore",
    )
    csv.download_button(
        f"{label} (CSV)",
        data=template_csv(kind, lang),
        file_name=template_file_name(kind, "csv", lang),
        mime="text/csv",
        key=f"template_csv_{kind}",
        on_click="ignore",
    )

st.subheader(text("Các phiên bản", "Versions"))
found = store.versions()
if not found:
    st.info(text("Chưa nhập dữ liệu nào: đang dùng dữ liệu mẫu.", "Nothing imported yet: the sample is shown."))
else:
    versions = versions_screen_table(found, lang)
    rows_column = versions.columns[-1]
    st.dataframe(
        versions,
        hide_index=True,
        width="stretch",
        column_config={rows_column: st.column_config.TextColumn(alignment="right")},
    )
    if current_access().can_edit:
        offer_restore(found, lang)
