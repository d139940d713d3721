"""Issue 9, items 4-6 through real widgets: the settings dialog bounded by the workstation policy
(an admin sets it, audited), failed unlocks reported after unlocking, and no defaults (no
marking, no role, no choice) in a new item or link."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QSpinBox

from hstc_desk.gui.editing.item_fields import CHOOSE, field_specs
from hstc_desk.gui.editing.marking_picker import UNSET_TEXT
from hstc_desk.gui.session.flows import UnlockFlow
from hstc_desk.gui.session.settings_dialog import SettingsDialog
from hstc_desk.store import Store, browse, policy
from hstc_desk.store.policy import Policy

from conftest import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW
from gui_helpers import open_window

pytestmark = [pytest.mark.gui, pytest.mark.xdist_group("gui")]
KINDS = ("person", "organization", "location", "document", "event", "route_leg", "report", "case")


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _set_policy(store_path: Path, **limits: int) -> None:
    with Store.open(store_path, ADMIN, ADMIN_PW) as s:
        policy.update(s, **limits)


# ---- item 4: policy limits ---------------------------------------------------------------------

def test_settings_is_one_dialog_and_preferences_cannot_exceed_policy(qtbot, demo_copy: Path,
                                                                      tmp_path: Path) -> None:
    _set_policy(demo_copy, idle_lock_max_minutes=12, clipboard_clear_max_seconds=40)
    w = open_window(qtbot, demo_copy, tmp_path)
    dialog = w.edit_settings()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    idle, clip = dialog.findChild(QSpinBox, "idleSpin"), dialog.findChild(QSpinBox, "clipboardSpin")
    assert (idle.maximum(), clip.maximum()) == (12, 40)
    assert "at most 12 min" in dialog.idle_limit.text()
    assert "at most 40 s" in dialog.clipboard_limit.text()
    assert dialog.findChild(QSpinBox, "idleMaxSpin") is None  # an analyst sees no policy box
    idle.setValue(240)  # as far as the box goes
    clip.setValue(600)
    assert (idle.value(), clip.value()) == (12, 40)
    idle.setValue(3)  # shorter is the user's choice
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert w.idle.seconds == 3 * 60 and w.guard.timer.interval() == 40_000
    assert float(w.settings.value("idle_minutes")) == 3
    assert dialog.findChild(type(w.top_banner), "topBanner").text() == "TOP SECRET//HCS/SI/TK"
    assert dialog.findChild(type(w.top_banner), "bottomBanner") is not None


def test_a_lowered_policy_wins_over_saved_preferences_at_load(qtbot, demo_copy: Path,
                                                              tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.setValue("idle_minutes", 240)  # saved before the policy was lowered
    settings.setValue("clipboard_seconds", 600)
    settings.sync()
    _set_policy(demo_copy, idle_lock_max_minutes=5, clipboard_clear_max_seconds=20)
    w = open_window(qtbot, demo_copy, tmp_path)
    assert w.idle.seconds == 5 * 60 and w.guard.timer.interval() == 20_000
    assert w.status_lock.text() in ("Locks in 5:00", "Locks in 4:59")
    # Lowered again while the window is open (from the command line): it holds at the unlock.
    w.lock_action.trigger()
    _set_policy(demo_copy, idle_lock_max_minutes=2)
    assert w.resume(ANALYST_PW)
    assert w.idle.seconds == 2 * 60


def test_admin_sets_the_policy_in_the_dialog_and_it_is_audited(qtbot, demo_copy: Path,
                                                               tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path, user=ADMIN, password=ADMIN_PW)
    dialog = w.edit_settings()
    qtbot.addWidget(dialog)
    idle_max = dialog.findChild(QSpinBox, "idleMaxSpin")
    assert dialog.policy_box is not None and dialog.policy_box.isVisible()
    assert idle_max.value() == 15 and idle_max.maximum() == 240
    idle_max.setValue(7)
    assert dialog.idle.maximum() == 7 and "at most 7 min" in dialog.idle_limit.text()
    dialog.accept()
    store = w.session.store
    assert policy.load(store) == Policy(idle_lock_max_minutes=7, clipboard_clear_max_seconds=60)
    actor, target, detail = store.conn.execute(
        "SELECT actor, target, detail FROM audit WHERE action = 'policy.set'").fetchone()
    assert (actor, target, json.loads(detail)) == (
        ADMIN, "idle_lock_max_minutes", {"old": 15, "new": 7, "unit": "minutes"})
    assert w.idle.seconds <= 7 * 60


# ---- item 5: failed unlocks ---------------------------------------------------------------------

def test_failed_unlocks_are_shown_after_unlock_and_audited(qtbot, demo_copy: Path,
                                                           tmp_path: Path) -> None:
    with Store.open(demo_copy, ANALYST, ANALYST_PW) as s:
        before = s.audit_head().seq
    flow = UnlockFlow()
    assert not flow.unlock(str(demo_copy), ANALYST, "not it")
    w = open_window(qtbot, demo_copy, tmp_path)
    label = w.findChild(QLabel, "statusFailedUnlocks")
    assert label.isVisible() and label.text() == (
        "1 failed unlock under your name since your last unlock (recorded in the audit log).")
    w.lock_action.trigger()
    for wrong in ("wrong one", "wrong two"):
        qtbot.keyClicks(w.lock_screen.password, wrong)
        qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
        assert w.session.is_locked
    qtbot.keyClicks(w.lock_screen.password, ANALYST_PW)
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    assert not w.session.is_locked
    assert label.isVisible() and label.text().startswith("2 failed unlocks under your name")
    w.lock_action.trigger()
    qtbot.keyClicks(w.lock_screen.password, ANALYST_PW)
    qtbot.keyClick(w.lock_screen.password, Qt.Key.Key_Return)
    assert not label.isVisible()  # told once; nothing new since
    rows = w.session.store.conn.execute(
        "SELECT target, detail FROM audit WHERE action = 'unlock.failed' AND seq > ? "
        "ORDER BY seq", (before,)).fetchall()
    assert [(t, json.loads(d)["where"]) for t, d in rows] == [
        (ANALYST, "window"), (ANALYST, "lock screen"), (ANALYST, "lock screen")]


# ---- item 6: no defaults -----------------------------------------------------------------------

def test_a_new_item_has_no_marking_and_no_chosen_field(qtbot, demo_copy: Path,
                                                       tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    editor = w.new_item("person")
    qtbot.addWidget(editor)
    picker = editor.picker
    assert picker.is_unset() and picker.portion() == ""
    assert picker.ui.levelCombo.currentIndex() == -1
    assert picker.ui.levelCombo.placeholderText() == UNSET_TEXT
    assert not any(b.isEnabled() for b in picker.sci.values())
    assert editor.ui.itemMarkingLabel.text() == "not marked yet"
    for kind in KINDS:  # no choice is made for the analyst, in any kind
        editor.ui.kindCombo.setCurrentIndex(editor.ui.kindCombo.findData(kind))
        assert set(editor.fields.widgets) == {f.name for f in field_specs(kind)}, kind
        for name, widget in editor.fields.widgets.items():
            if isinstance(widget, QComboBox):
                assert widget.currentIndex() == -1 and widget.placeholderText() == CHOOSE, (
                    kind, name)
    editor.ui.kindCombo.setCurrentIndex(editor.ui.kindCombo.findData("person"))
    f = editor.fields.widgets
    editor.ui.titleEdit.setText("Seen at the crossing")
    editor.ui.originatorEdit.setText("CBP")
    f["name"].setText("Ana Example")
    f["nationality"].setText("MEX")
    editor.ui.portionText.setPlainText("Seen at the crossing.")
    before = browse.audit_page(w.session.store, limit=1)[0].seq
    assert not editor.save()
    assert editor.ui.errorLabel.text().startswith("Portion 1 is not marked")
    picker.ui.levelCombo.setCurrentIndex(2)  # SECRET
    assert not editor.save()
    assert editor.ui.errorLabel.text() == "role: choose one (nothing is chosen for you)"
    assert browse.audit_page(w.session.store, limit=1)[0].seq == before  # nothing written
    f["role"].setCurrentIndex(f["role"].findText("witness"))
    assert editor.save(), editor.ui.errorLabel.text()
    item = w.session.store.get_item(editor.item_id)
    assert item.marking == "(S)" and item.role == "witness"


def test_a_new_portion_is_unmarked_and_named_until_marked(qtbot, demo_copy: Path,
                                                          tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    item_id = store.conn.execute("SELECT id FROM items WHERE kind = 'case' LIMIT 1").fetchone()[0]
    editor = w.edit_item(item_id)
    qtbot.addWidget(editor)
    count = len(editor.state()["portions"])
    editor.add_portion()
    assert editor.picker.is_unset()
    editor.ui.portionText.setPlainText("A new paragraph.")
    assert not editor.save()
    assert editor.ui.errorLabel.text().startswith(f"Portion {count + 1} is not marked")
    assert editor.ui.portionList.item(count).text().startswith("(not marked)")
    editor.picker.set_marking(store.get_item(item_id).marking)
    assert editor.save(), editor.ui.errorLabel.text()
    assert len(store.get_item(item_id).portions) == count + 1


def test_a_document_is_neither_genuine_nor_forged_until_chosen(qtbot, demo_copy: Path,
                                                               tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    editor = w.new_item("document")
    qtbot.addWidget(editor)
    genuine, fraud = editor.fields.widgets["genuine"], editor.fields.widgets["fraud_type"]
    assert isinstance(genuine, QComboBox) and genuine.currentIndex() == -1
    assert fraud.currentIndex() == -1
    editor.picker.ui.levelCombo.setCurrentIndex(0)
    for name, text in (("doc_type", "passport"), ("fraud_type", "none")):
        combo = editor.fields.widgets[name]
        combo.setCurrentIndex(combo.findText(text))
    editor.fields.widgets["number"].setText("X123")
    editor.fields.widgets["issuing_country"].setText("MEX")
    assert "genuine: choose yes or no" in editor.validate()
    genuine.setCurrentIndex(genuine.findText("yes"))
    editor.ui.titleEdit.setText("Passport X123")
    editor.ui.originatorEdit.setText("CBP")
    editor.ui.portionText.setPlainText("Presented at the crossing.")
    assert editor.save(), editor.ui.errorLabel.text()
    doc = w.session.store.get_item(editor.item_id)
    assert doc.genuine is True and doc.fraud_type == "none"
    again = w.edit_item(doc.id)  # a stored choice shows as chosen
    qtbot.addWidget(again)
    assert again.fields.widgets["genuine"].currentText() == "yes"


def test_a_new_link_has_no_marking_until_picked(qtbot, demo_copy: Path, tmp_path: Path) -> None:
    w = open_window(qtbot, demo_copy, tmp_path)
    store = w.session.store
    person, org = (store.conn.execute(f"SELECT id FROM items WHERE kind = '{k}' LIMIT 1")
                   .fetchone()[0] for k in ("person", "organization"))
    dialog = w.link_item(person)
    qtbot.addWidget(dialog)
    assert dialog.picker.is_unset()
    dialog.ui.dstEdit.setText(org)
    dialog.ui.typeCombo.setCurrentText("member_of")
    links = len(store.links_of(person))
    dialog.save()
    assert dialog.link is None and "Choose the link's marking" in dialog.ui.errorLabel.text()
    assert len(store.links_of(person)) == links
    dialog.picker.ui.levelCombo.setCurrentIndex(1)
    dialog.save()
    assert dialog.link is not None and dialog.link.marking == "(C)"
