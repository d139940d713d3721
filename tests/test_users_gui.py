"""The Users page and the forced password change through real widgets (issue 12, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from hstc_desk.gui.admin.users_page import UsersPage
from hstc_desk.gui.session.flows import State, UnlockFlow
from hstc_desk.gui.session.password_change import PasswordChangeDialog
from hstc_desk.gui.session.unlock_dialog import UnlockDialog
from hstc_desk.store import TEST_KDF, AuthError, Store, policy, user_lifecycle

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, SUPERVISOR, SUPERVISOR_PW, make_store
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]


def _page(qtbot, w) -> UsersPage:
    action = w.findChild(QAction, "users")
    assert action is not None
    action.trigger()
    page = w.users_page
    qtbot.addWidget(page)
    return page


def test_users_page_only_for_admins(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    store = demo_copy
    w = open_window(qtbot, store, tmp_path)
    assert w.findChild(QAction, "users") is None  # an analyst has no Users page
    w.close()
    w = open_window(qtbot, store, tmp_path, user=ADMIN, password=ADMIN_PW)
    page = _page(qtbot, w)
    assert {ADMIN, ANALYST, SUPERVISOR} <= {u.name for u in page.model.rows}
    assert page.banners.top.text() == page.banners.bottom.text() == "TOP SECRET//HCS/SI/TK"
    page.select(ADMIN)  # nobody acts on their own account here
    assert not any(page.buttons[k].isEnabled() for k in ("reset", "disable", "remove"))


def test_remove_from_the_page_rekeys_and_the_password_opens_nothing(qtbot, demo_copy: Path,
                                                                   tmp_path: Path) -> None:
    store = demo_copy
    w = open_window(qtbot, store, tmp_path, user=ADMIN, password=ADMIN_PW)
    page = _page(qtbot, w)
    asked: list[str] = []
    page.confirm = lambda title, text, action: asked.append(text) or False
    page.select(ANALYST)
    page.change_state("remove")  # declined: nothing happens
    assert "The store will be rekeyed" in asked[0] and page.task is None
    assert user_lifecycle.get_user(page.store, ANALYST).state == "active"
    page.confirm = lambda title, text, action: True
    page.change_state("remove")
    w.lock()  # asked for during the rekey: it waits for it, and comes when it ends
    assert not w.session.is_locked or page.task is None
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    qtbot.waitUntil(lambda: w.session.is_locked, timeout=5000)
    assert "The store was rekeyed" in page.finished_message, page.finished_message
    assert w.resume(ADMIN_PW)  # the admin's password opens the rekeyed store
    page = _page(qtbot, w)
    row = next(u for u in page.model.rows if u.name == ANALYST)
    assert row.state == "removed" and not row.has_slot
    assert page.model.data(page.model.index(1, 5)) == "no key slot"
    # The window goes on working on the rekeyed store.
    assert w.session.store.count("items") == 3000
    with pytest.raises(AuthError):
        Store.open(store, ANALYST, ANALYST_PW)
    Store.open(store, SUPERVISOR, SUPERVISOR_PW).close()
    page.select(ANALYST)
    assert not page.buttons["remove"].isEnabled() and not page.buttons["enable"].isEnabled()


def test_disable_enable_reset_and_policy_from_the_page(qtbot, demo_copy: Path,
                                                        tmp_path: Path) -> None:
    store = demo_copy
    w = open_window(qtbot, store, tmp_path, user=ADMIN, password=ADMIN_PW)
    page = _page(qtbot, w)
    page.confirm = lambda title, text, action: True
    page.select(SUPERVISOR)
    page.change_state("disable")
    qtbot.waitUntil(lambda: page.task is None, timeout=30000)
    page.select(SUPERVISOR)
    assert page.buttons["enable"].isEnabled() and not page.buttons["disable"].isEnabled()
    page.change_state("enable")
    assert "Enabled sup" in page.message.text()
    Store.open(store, SUPERVISOR, SUPERVISOR_PW).close()
    # Reset: the one-time password is shown once, and it forces a change.
    shown: list[user_lifecycle.ResetResult] = []
    page.show_one_time = shown.append  # type: ignore[method-assign]
    page.select(ANALYST)
    page.reset_user()
    assert shown and shown[0].name == ANALYST
    assert page.model.data(page.model.index(1, 5)) == "one-time: to change at first unlock"
    # The policy: a minimum below its range cannot be chosen; a longer one applies at once.
    page.min_length.setValue(4)
    assert page.min_length.value() == 8
    page.min_length.setValue(16)
    page.change_policy()
    assert policy.load(page.store).password_min_length == 16
    dialog = page.add_user()
    qtbot.addWidget(dialog)
    dialog.name.setText("newcomer")
    assert dialog.role.currentIndex() == -1  # no role chosen for the admin
    dialog.password.setText("sixteen chars!!!")
    dialog.confirm.setText("sixteen chars!!!")
    dialog.add()
    assert dialog.error.text() == "Choose the new user's role."
    dialog.role.setCurrentText("analyst")
    dialog.password.setText("fifteen chars!!")
    dialog.confirm.setText("fifteen chars!!")
    dialog.add()
    assert "at least 16 characters" in dialog.error.text(), dialog.error.text()
    assert "newcomer" not in [u.name for u in user_lifecycle.list_users(page.store)]
    dialog.password.setText("sixteen chars!!!")
    dialog.confirm.setText("sixteen chars!!!")
    dialog.add()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert user_lifecycle.get_user(page.store, "newcomer").role == "analyst"


def test_forced_change_at_unlock(qtbot, tmp_path: Path) -> None:
    store = make_store(tmp_path / "s")
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        one_time = user_lifecycle.reset(s, ANALYST).one_time_password
    flow = UnlockFlow()
    assert not flow.unlock(str(store), ANALYST, one_time)
    assert flow.state is State.MUST_CHANGE and flow.forced is not None
    forced = flow.forced
    forced.kdf = TEST_KDF
    dialog = PasswordChangeDialog(forced)
    qtbot.addWidget(dialog)
    for new, again, words in (("a long new pass", "a long new pas", "do not match"),
                              ("short", "short", "at least 12 characters"),
                              (one_time, one_time, "must differ")):
        dialog.new.setText(new)
        dialog.confirm.setText(again)
        dialog.change()
        assert words in dialog.error.text(), dialog.error.text()
        assert dialog.new.text() == dialog.confirm.text() == ""  # never kept in the widget
    dialog.new.setText("my very own pass phrase")
    dialog.confirm.setText("my very own pass phrase")
    dialog.change()
    assert forced.store is not None and forced.one_time == ""
    forced.store.close()
    Store.open(store, ANALYST, "my very own pass phrase").close()
    with pytest.raises(AuthError):
        Store.open(store, ANALYST, one_time)


def test_unlock_dialog_opens_the_forced_change(qtbot, tmp_path: Path, monkeypatch) -> None:
    store = make_store(tmp_path / "s")
    with Store.open(store, ADMIN, ADMIN_PW) as s:
        one_time = user_lifecycle.reset(s, ANALYST).one_time_password

    def answer(self: PasswordChangeDialog) -> int:
        self.new.setText("chosen at first unlock")
        self.confirm.setText("chosen at first unlock")
        self.change()
        return int(self.result())

    monkeypatch.setattr(PasswordChangeDialog, "exec", answer)
    dialog = UnlockDialog([], store_path=str(store), user=ANALYST, kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.ui.passwordEdit.setText(one_time)
    dialog.unlock()
    assert dialog.store is not None and dialog.store.user.name == ANALYST
    dialog.store.close()
    Store.open(store, ANALYST, "chosen at first unlock").close()


def test_change_my_password_from_the_window(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    store = demo_copy
    before = (store / "keyslots.json").read_bytes()
    w = open_window(qtbot, store, tmp_path)  # an analyst: the action is there for everyone
    w.findChild(QAction, "changePassword").trigger()
    dialog = w.own_password_dialog
    qtbot.addWidget(dialog)
    for current, new, words in (("not my password", "a brand new pass phrase", "not right"),
                                (ANALYST_PW, "short", "at least 12 characters"),
                                (ANALYST_PW, "a brand new pass phrase x", "do not match")):
        dialog.current.setText(current)
        dialog.new.setText(new)
        dialog.confirm.setText(new if words != "do not match" else new[:-2])
        dialog.change()
        assert words in dialog.error.text(), dialog.error.text()
    assert (store / "keyslots.json").read_bytes() == before  # nothing written by any of them
    dialog.current.setText(ANALYST_PW)
    dialog.new.setText("a brand new pass phrase")
    dialog.confirm.setText("a brand new pass phrase")
    dialog.change()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert w.session.store.count("items") == 3000
    Store.open(store, ANALYST, "a brand new pass phrase").close()
    with pytest.raises(AuthError):
        Store.open(store, ANALYST, ANALYST_PW)
