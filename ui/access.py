"""Who may see the dashboard and who may change its data.

Access is off for local use. A hosted deployment turns it on in ``secrets.toml``::

    [access]
    mode = "password"          # "off", "password" or "oidc"
    hosted = true              # or DXMAP_HOSTED=1 in the environment
    editors = ["lan.nguyen"]   # may import files and restore versions
    viewers = ["*"]            # may read; "*" is every signed-in user

    [access.passwords]         # mode "password": user name = salted hash
    "lan.nguyen" = "scrypt$16384$8$1$…"   # made by: python -m ui.passwords

With mode "oidc" users sign in through ``st.login`` with an OpenID Connect provider
configured in Streamlit's own ``[auth]`` section (``provider`` names one of its
sub-sections). Their e-mail address is then matched against the lists. A hosted
deployment with access off shows no data unless ``allow_anonymous = true`` states
that this is intended.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

import streamlit as st

from geo.errors import BilingualError
from ui.language import text
from ui.passwords import is_password_hash, verify_password

log = logging.getLogger(__name__)

OFF, PASSWORD, OIDC = "off", "password", "oidc"
MODES = (OFF, PASSWORD, OIDC)
EDITOR, VIEWER = "editor", "viewer"
EVERYONE = "*"
HOSTED_SETTING = "DXMAP_HOSTED"

MAX_FAILURES = 5
"""Wrong passwords a user name may get, from any session, before it is locked for `LOCK_SECONDS`."""

LOCK_SECONDS = 60
SESSION_KEY = "access"


class SignInFailures:
    """Wrong passwords per user name, shared by every session of this server process.

    Keyed by the name tried, so a reload or a new tab doesn't reset the count. Anyone who
    knows a user name can therefore lock it for a minute, which is the cost of slowing guessing.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    def locked(self, name: str, now: float | None = None) -> bool:
        """Tell whether ``name`` is locked at ``now`` (a `time.monotonic` value)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._failures.get(name, (0, 0.0))[1] > now

    def record(self, name: str, now: float | None = None) -> None:
        """Count a wrong password for ``name``, locking it after `MAX_FAILURES`."""
        now = time.monotonic() if now is None else now
        with self._lock:
            count, _locked_until = self._failures.get(name, (0, 0.0))
            count += 1
            self._failures[name] = (0, now + LOCK_SECONDS) if count >= MAX_FAILURES else (count, 0.0)

    def clear(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


FAILURES = SignInFailures()


class AccessConfigError(BilingualError):
    """The ``[access]`` settings are invalid; the message names the setting and the fix."""


@dataclass(frozen=True)
class AccessConfig:
    """The access settings of a deployment."""

    mode: str = OFF
    hosted: bool = False
    allow_anonymous: bool = False
    editors: frozenset[str] = frozenset()
    viewers: frozenset[str] = frozenset()
    passwords: dict[str, str] = field(default_factory=dict)
    provider: str | None = None

    def role_of(self, user: str) -> str | None:
        """Return the role of a signed-in user, or None when neither list names them."""
        name = user.strip().casefold()
        if name in self.editors:
            return EDITOR
        if name in self.viewers or EVERYONE in self.viewers:
            return VIEWER
        return None


@dataclass(frozen=True)
class Access:
    """The user of a session and their role."""

    user: str | None
    role: str
    mode: str

    @property
    def can_edit(self) -> bool:
        return self.role == EDITOR


def parse_config(section: dict, environment: dict | None = None) -> AccessConfig:
    """Return the settings of an ``[access]`` section, checked.

    Raises
    ------
    AccessConfigError
        For an unknown mode, a password that is not a salted hash, or a mode without
        what it needs.
    """
    environment = os.environ if environment is None else environment
    mode = str(section.get("mode", OFF)).strip().lower()
    if mode not in MODES:
        raise AccessConfigError(
            f"[access] mode = {mode!r} không hợp lệ. Hãy dùng \"off\", \"password\" hoặc \"oidc\".",
            f"[access] mode = {mode!r} is invalid. Use \"off\", \"password\" or \"oidc\".",
        )
    passwords = {str(name).strip().casefold(): value for name, value in dict(section.get("passwords", {})).items()}
    _check_passwords(mode, passwords)
    return AccessConfig(
        mode=mode,
        hosted=_flag(section.get("hosted")) or _flag(environment.get(HOSTED_SETTING)),
        allow_anonymous=_flag(section.get("allow_anonymous")),
        editors=_names(section.get("editors", [])),
        viewers=_names(section.get("viewers", [])),
        passwords=passwords,
        provider=section.get("provider") or None,
    )


def _check_passwords(mode: str, passwords: dict[str, object]) -> None:
    if mode == PASSWORD and not passwords:
        raise AccessConfigError(
            "[access] mode = \"password\" nhưng chưa có [access.passwords]. Hãy thêm tên đăng nhập "
            "với mã băm tạo bằng `python -m ui.passwords`.",
            "[access] mode = \"password\" but [access.passwords] is missing. Add user names with "
            "hashes made by `python -m ui.passwords`.",
        )
    for name, value in passwords.items():
        if not is_password_hash(value):
            raise AccessConfigError(
                f"[access.passwords] của {name!r} không phải mã băm có muối. Không ghi mật khẩu gốc vào "
                "secrets: hãy tạo mã băm bằng `python -m ui.passwords` rồi dán vào.",
                f"[access.passwords] entry {name!r} is not a salted hash. Never put a plain password in "
                "secrets: make the hash with `python -m ui.passwords` and paste it.",
            )


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def _names(values: object) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    return frozenset(str(value).strip().casefold() for value in values or [])


def load_config() -> AccessConfig:
    """Return the access settings of this deployment from ``st.secrets``."""
    try:
        section = dict(st.secrets.get("access", {}))
    except FileNotFoundError:
        section = {}
    return parse_config(section)


def require_access(lang: str) -> Access:
    """Return who uses this session, or draw the sign-in and end this run until they have.

    Ends the run with an explanation when the settings are invalid, or when a hosted
    deployment has access off without ``allow_anonymous``.
    """
    try:
        config = load_config()
    except AccessConfigError as error:
        log.error("Invalid access settings: %s", error.message("en"))
        _stop(error.message(lang))

    if config.mode == OFF:
        _stop_anonymous_hosting(config)
        return Access(user=None, role=EDITOR, mode=OFF)
    if config.mode == PASSWORD:
        return _password_access(config)
    return _oidc_access(config)


def _stop(message: str) -> None:
    st.error(message, icon=":material/lock:")
    st.stop()


def _stop_anonymous_hosting(config: AccessConfig) -> None:
    if config.hosted and not config.allow_anonymous:
        log.error("Hosted deployment with access off and without allow_anonymous: refusing to serve pages")
        _stop(
            text(
                "Bản triển khai này được đánh dấu là máy chủ dùng chung (hosted) nhưng chưa bật kiểm soát "
                "truy cập, nên ứng dụng không hiển thị dữ liệu. Hãy đặt [access] mode = \"password\" hoặc "
                "\"oidc\" trong secrets; nếu thật sự muốn mở cho mọi người, ghi rõ allow_anonymous = true.",
                "This deployment is marked as hosted but access control is off, so the app shows no data. "
                "Set [access] mode = \"password\" or \"oidc\" in secrets; to open it to everyone on purpose, "
                "set allow_anonymous = true.",
            )
        )


def _password_access(config: AccessConfig) -> Access:
    signed_in = st.session_state.get(SESSION_KEY)
    if isinstance(signed_in, Access) and signed_in.mode == PASSWORD:
        return signed_in
    _password_form(config)
    st.stop()


def _password_form(config: AccessConfig) -> None:
    """Draw the sign-in form; on a right password, keep the user in the session and rerun."""
    with st.form("sign_in"):
        st.subheader(text("Đăng nhập", "Sign in"))
        name = st.text_input(text("Tên đăng nhập", "User name"), key="sign_in_user")
        password = st.text_input(text("Mật khẩu", "Password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(text("Đăng nhập", "Sign in"))
    if not submitted:
        return
    user = name.strip().casefold()
    if FAILURES.locked(user):
        log.warning("Password sign-in rejected: %r is locked after %s wrong passwords", user, MAX_FAILURES)
        st.error(text(f"Sai quá {MAX_FAILURES} lần. Hãy thử lại sau {LOCK_SECONDS} giây.",
                      f"More than {MAX_FAILURES} wrong tries. Try again in {LOCK_SECONDS} seconds."))  # fmt: skip
        return

    access = password_sign_in(config, name, password)
    if access is None:
        FAILURES.record(user)
        log.warning("Password sign-in failed for user %r", user)
        st.error(text("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản chưa được cấp quyền.",
                      "Wrong user name or password, or the account has no role."))  # fmt: skip
        return
    st.session_state[SESSION_KEY] = access
    FAILURES.clear(user)
    log.info("Password sign-in: %s as %s", access.user, access.role)
    st.rerun()


def password_sign_in(config: AccessConfig, name: str, password: str) -> Access | None:
    """Return the access of a user name and password, or None when they don't match or
    the user has no role."""
    user = name.strip().casefold()
    stored = config.passwords.get(user)
    if stored is None or not verify_password(password, stored):
        return None
    role = config.role_of(user)
    return Access(user=user, role=role, mode=PASSWORD) if role else None


def _oidc_access(config: AccessConfig) -> Access:
    if not st.user.is_logged_in:
        st.info(text("Hãy đăng nhập bằng tài khoản của cơ quan để xem bản đồ.",
                     "Sign in with your organisation's account to see the map."))  # fmt: skip
        if st.button(text("Đăng nhập", "Sign in"), key="oidc_sign_in"):
            st.login(config.provider) if config.provider else st.login()
        st.stop()

    user = str(st.user.get("email") or st.user.get("sub") or "")
    role = config.role_of(user) if user else None
    if role is None:
        log.warning("OIDC user %r signed in without a role", user)
        st.error(text(f"Tài khoản {user} chưa được cấp quyền xem. Hãy liên hệ quản trị viên.",
                      f"The account {user} has no role here. Ask the administrator for access."))  # fmt: skip
        if st.button(text("Đăng xuất", "Sign out"), key="oidc_sign_out_denied"):
            st.logout()
        st.stop()
    return Access(user=user.casefold(), role=role, mode=OIDC)


def sign_out_button(access: Access) -> None:
    """Draw who is signed in and a sign-out button in the sidebar."""
    if access.mode == OFF:
        return
    role = text("người biên tập", "editor") if access.can_edit else text("người xem", "viewer")
    st.sidebar.caption(text(f"Đã đăng nhập: {access.user} ({role})", f"Signed in: {access.user} ({role})"))
    if st.sidebar.button(text("Đăng xuất", "Sign out"), key="sign_out"):
        st.session_state.pop(SESSION_KEY, None)
        if access.mode == OIDC:
            st.logout()
        st.rerun()


def current_access() -> Access:
    """Return the access that `require_access` settled for this run."""
    return st.session_state.get("access_this_run", Access(user=None, role=VIEWER, mode=OFF))


def require_editor(lang: str) -> None:
    """End the run with an explanation unless the user may change the data."""
    access = current_access()
    if not access.can_edit:
        log.warning("User %r with role %s tried to change the data", access.user, access.role)
        _stop(text("Chỉ người biên tập mới được nhập hoặc khôi phục dữ liệu.",
                   "Only editors may import or restore data."))  # fmt: skip
