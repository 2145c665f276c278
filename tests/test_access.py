"""Access control: salted password hashes, roles from secrets, sign-in, and what a viewer may not do."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from ui.access import EDITOR, VIEWER, AccessConfigError, parse_config, password_sign_in
from ui.passwords import hash_password, verify_password

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
EDITOR_PASSWORD = "lan-nguyen-2025"
VIEWER_PASSWORD = "minh-tran-2025"


@pytest.fixture(scope="module")
def password_secrets() -> dict:
    return {
        "mode": "password",
        "hosted": True,
        "editors": ["Lan.Nguyen"],
        "viewers": ["minh.tran"],
        "passwords": {"lan.nguyen": hash_password(EDITOR_PASSWORD), "minh.tran": hash_password(VIEWER_PASSWORD)},
    }


@pytest.fixture(autouse=True)
def app_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("DXMAP_BOUNDARIES_DIR", str(BOUNDARIES))
    monkeypatch.setenv("DXMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    monkeypatch.delenv("DXMAP_HOSTED", raising=False)
    saved = config.get_option("server.enableStaticServing")
    config.set_option("server.enableStaticServing", True)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    config.set_option("server.enableStaticServing", saved)
    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(access: dict | None = None, page: str | None = None, user: dict | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=180)
    if access is not None:
        app.secrets["access"] = access
    if user is not None:
        app.user = user
    app.run()
    if page is not None:
        app.switch_page(page).run()
    return app


def has_map(app: AppTest) -> bool:
    return any("folium" in element.proto.component_name for element in app.get("component_instance"))


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="sign_in_user").input(name)
    app.text_input(key="sign_in_password").input(password)
    return app.button[0].click().run()


def test_hash_verifies_only_its_password():
    stored = hash_password(EDITOR_PASSWORD)
    assert verify_password(EDITOR_PASSWORD, stored)
    assert not verify_password(EDITOR_PASSWORD + "x", stored)
    assert stored != hash_password(EDITOR_PASSWORD), "each hash has its own salt"
    assert EDITOR_PASSWORD not in stored


def test_tampered_or_foreign_hash_fails():
    stored = hash_password(EDITOR_PASSWORD)
    scheme, cost, block, parallel, salt, digest = stored.split("$")
    assert not verify_password(EDITOR_PASSWORD, "$".join([scheme, cost, block, parallel, salt, digest[:-4] + "AAA="]))
    assert not verify_password(EDITOR_PASSWORD, "bcrypt$whatever")
    assert not verify_password(EDITOR_PASSWORD, EDITOR_PASSWORD)


def test_roles_from_lists(password_secrets):
    settings = parse_config(password_secrets, environment={})
    assert settings.role_of("LAN.NGUYEN") == EDITOR
    assert settings.role_of("minh.tran") == VIEWER
    assert settings.role_of("someone") is None
    assert parse_config({"viewers": ["*"]}, environment={}).role_of("someone") == VIEWER


def test_wrong_password_signs_in_no_one(password_secrets):
    settings = parse_config(password_secrets, environment={})
    assert password_sign_in(settings, "lan.nguyen", "wrong-password") is None
    assert password_sign_in(settings, "nobody", EDITOR_PASSWORD) is None
    assert password_sign_in(settings, " Lan.Nguyen ", EDITOR_PASSWORD).role == EDITOR


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"mode": "ldap"}, "mode = 'ldap'"),
        ({"mode": "password"}, "[access.passwords] is missing"),
        ({"mode": "password", "passwords": {"lan": "hunter2"}}, "'lan' is not a salted hash"),
    ],
)
def test_invalid_settings_name_the_fix(section, named):
    with pytest.raises(AccessConfigError) as raised:
        parse_config(section, environment={})
    assert named in str(raised.value)


def test_hosted_from_environment():
    assert parse_config({}, environment={"DXMAP_HOSTED": "1"}).hosted
    assert not parse_config({}, environment={}).hosted


def test_local_use_needs_no_sign_in():
    app = open_app()
    assert not app.exception
    assert has_map(app)


def test_hosted_without_access_refuses_to_start(monkeypatch):
    monkeypatch.setenv("DXMAP_HOSTED", "1")
    app = open_app()
    assert not app.exception
    assert not has_map(app)
    assert "allow_anonymous = true" in app.error[0].value

    opened = open_app({"allow_anonymous": True})
    assert has_map(opened)


def test_wrong_password_shows_no_data(password_secrets):
    app = open_app(password_secrets)
    assert not has_map(app)

    sign_in(app, "lan.nguyen", "not-the-password")
    assert not app.exception
    assert not has_map(app)
    assert app.error[0].value.startswith("Sai tên đăng nhập hoặc mật khẩu")


def test_plain_password_in_secrets_stops_the_app():
    app = open_app({"mode": "password", "passwords": {"lan": "hunter2"}})
    assert not has_map(app)
    assert "python -m ui.passwords" in app.error[0].value


def test_viewer_sees_data_but_cannot_import(password_secrets):
    app = open_app(password_secrets)
    sign_in(app, "minh.tran", VIEWER_PASSWORD)
    assert has_map(app)

    app.switch_page("pages/data.py").run()
    assert not app.exception
    assert not app.get("file_uploader")
    assert [button for button in app.button if button.key == "restore"] == []
    assert "Chỉ người biên tập mới nhập và khôi phục dữ liệu." in [block.value for block in app.info]
    assert str(BOUNDARIES) not in " ".join(block.value for block in app.markdown), "a viewer sees a server path"


def test_editor_may_import(password_secrets):
    app = open_app(password_secrets)
    sign_in(app, "lan.nguyen", EDITOR_PASSWORD)
    app.switch_page("pages/data.py").run()
    assert not app.exception
    assert len(app.get("file_uploader")) == 1


def test_viewer_is_stopped_at_the_change():
    def script():
        import streamlit as st

        from ui.access import PASSWORD, VIEWER, Access, require_editor

        st.session_state["access_this_run"] = Access(user="minh.tran", role=VIEWER, mode=PASSWORD)
        require_editor("vi")
        st.write("the data was changed")

    app = AppTest.from_function(script).run()
    assert [block.value for block in app.markdown] == []
    assert app.error[0].value == "Chỉ người biên tập mới được nhập hoặc khôi phục dữ liệu."


def test_oidc_asks_to_sign_in():
    app = open_app({"mode": "oidc", "viewers": ["*"]}, user={"is_logged_in": False})
    assert not has_map(app)
    assert [button.key for button in app.button] == ["oidc_sign_in"]


def test_oidc_user_without_role_is_refused():
    app = open_app({"mode": "oidc", "viewers": ["a@mic.gov.vn"]}, user={"is_logged_in": True, "email": "b@example.com"})
    assert not has_map(app)
    assert "b@example.com" in app.error[0].value


def test_oidc_viewer_sees_the_map():
    app = open_app({"mode": "oidc", "viewers": ["*"]}, user={"is_logged_in": True, "email": "a@mic.gov.vn"})
    assert not app.exception
    assert has_map(app)


def test_lock_outlives_the_session():
    from ui.access import LOCK_SECONDS, MAX_FAILURES, SignInFailures

    failures = SignInFailures()
    for _ in range(MAX_FAILURES - 1):
        failures.record("lan.nguyen", now=100.0)
    assert not failures.locked("lan.nguyen", now=100.0)

    failures.record("lan.nguyen", now=100.0)
    assert failures.locked("lan.nguyen", now=101.0)
    assert not failures.locked("minh.tran", now=101.0)
    assert not failures.locked("lan.nguyen", now=100.0 + LOCK_SECONDS + 1)


def test_new_session_is_still_locked(password_secrets):
    from ui.access import FAILURES, MAX_FAILURES

    first = open_app(password_secrets)
    for _ in range(MAX_FAILURES):
        sign_in(first, "lan.nguyen", "not-the-password")

    second = open_app(password_secrets)
    sign_in(second, "lan.nguyen", EDITOR_PASSWORD)
    try:
        assert not has_map(second)
        assert second.error[0].value.startswith("Sai quá 5 lần")
    finally:
        FAILURES.clear("lan.nguyen")
