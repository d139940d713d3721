"""Settings: the user's own idle-lock and clipboard times, each bounded by the workstation
policy shown beside it; an admin also sees the policy itself, which is written to the store and
audited (hstc_desk.store.policy). A preference can be shorter than the policy, never longer.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.gui.session.clipboard import DEFAULT_CLEAR_SECONDS
from hstc_desk.gui.session.idle import DEFAULT_IDLE_MINUTES
from hstc_desk.gui.widgets.banner import BannerBar, clearance_banner
from hstc_desk.store import Store, StoreError, policy
from hstc_desk.store.policy import LIMITS, Policy

IDLE_KEY, CLIPBOARD_KEY = "idle_minutes", "clipboard_seconds"


def _number(value: object, default: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def preferences(settings: QSettings, current: Policy) -> tuple[float, float]:
    """The user's idle-lock minutes and clipboard seconds as saved, never above the policy
    (a policy lowered since they were saved wins)."""
    idle = _number(settings.value(IDLE_KEY), DEFAULT_IDLE_MINUTES)
    clip = _number(settings.value(CLIPBOARD_KEY), DEFAULT_CLEAR_SECONDS)
    return current.clamp_idle_minutes(idle), current.clamp_clipboard_seconds(clip)


def _spin(parent: QWidget, name: str, low: int, high: int, value: float, suffix: str) -> QSpinBox:
    box = QSpinBox(parent, objectName=name)
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setValue(max(low, min(high, round(value))))
    box.setMinimumWidth(110)
    return box


class SettingsDialog(QDialog):
    """On accept: ``idle_minutes``, ``clipboard_seconds`` (the user's, within the policy) and
    ``policy`` (as now in force, after an admin's audited change)."""

    def __init__(self, store: Store, idle_minutes: float, clipboard_seconds: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.store = store
        self.policy = policy.load(store)
        self.idle_minutes = self.policy.clamp_idle_minutes(idle_minutes)
        self.clipboard_seconds = self.policy.clamp_clipboard_seconds(clipboard_seconds)
        self.is_admin = store.user.role == "admin"

        # Banners edge to edge (the workstation's system high), the content between them.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        system_high = clearance_banner(str(store.accreditation))
        self.top_banner = BannerBar(self, name="topBanner")
        self.bottom_banner = BannerBar(self, name="bottomBanner")
        body = QWidget(self, objectName="settingsBody")
        outer.addWidget(self.top_banner)
        outer.addWidget(body, 1)
        outer.addWidget(self.bottom_banner)
        for banner in (self.top_banner, self.bottom_banner):
            banner.set_marking(system_high)
        layout = QVBoxLayout(body)
        mine = QGroupBox("Your preferences", self, objectName="preferencesBox")
        form = QFormLayout(mine)
        self.idle = _spin(mine, "idleSpin", 1, self.policy.idle_lock_max_minutes,
                          self.idle_minutes, " min")
        self.clipboard = _spin(mine, "clipboardSpin", LIMITS["clipboard_clear_max_seconds"].low,
                               self.policy.clipboard_clear_max_seconds, self.clipboard_seconds,
                               " s")
        self.idle_limit = QLabel(mine, objectName="idleLimit")
        self.clipboard_limit = QLabel(mine, objectName="clipboardLimit")
        for label, spin, limit in (("Lock after idle for", self.idle, self.idle_limit),
                                   ("Clear copied text after", self.clipboard,
                                    self.clipboard_limit)):
            row = QHBoxLayout()
            row.addWidget(spin)
            row.addWidget(limit, 1)
            form.addRow(label, row)
        layout.addWidget(mine)

        self.policy_box: QGroupBox | None = None
        if self.is_admin:
            box = QGroupBox("Workstation policy (for every user of this store)", self,
                            objectName="policyBox")
            pform = QFormLayout(box)
            lim = LIMITS["idle_lock_max_minutes"]
            self.idle_max = _spin(box, "idleMaxSpin", lim.low, lim.high,
                                  self.policy.idle_lock_max_minutes, " min")
            lim = LIMITS["clipboard_clear_max_seconds"]
            self.clipboard_max = _spin(box, "clipboardMaxSpin", lim.low, lim.high,
                                       self.policy.clipboard_clear_max_seconds, " s")
            for label, spin, name in (("Idle lock at most", self.idle_max,
                                       "idle_lock_max_minutes"),
                                      ("Clipboard cleared within", self.clipboard_max,
                                       "clipboard_clear_max_seconds")):
                lim = LIMITS[name]
                row = QHBoxLayout()
                row.addWidget(spin)
                row.addWidget(QLabel(f"{lim.low} to {lim.high} {lim.unit}", box), 1)
                pform.addRow(label, row)
            note = QLabel("Written to the store and recorded in the audit log, with the old "
                          "and new value.", box)
            note.setWordWrap(True)
            pform.addRow(note)
            self.idle_max.valueChanged.connect(self._limits_changed)
            self.clipboard_max.valueChanged.connect(self._limits_changed)
            layout.addWidget(box)
            self.policy_box = box
        else:
            note = QLabel("The maxima are the workstation policy, set by the security officer "
                          "(an admin). You may choose shorter times, never longer.", self,
                          objectName="policyNote")
            note.setWordWrap(True)
            layout.addWidget(note)

        self.error = QLabel(self, objectName="settingsError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._limits_changed()
        self.setMinimumWidth(460)

    def _limits_changed(self) -> None:
        """The preference boxes never go past the maximum shown (the admin's new one, live)."""
        idle_max = self.idle_max.value() if self.is_admin else self.policy.idle_lock_max_minutes
        clip_max = (self.clipboard_max.value() if self.is_admin
                    else self.policy.clipboard_clear_max_seconds)
        self.idle.setMaximum(idle_max)
        self.clipboard.setMaximum(clip_max)
        self.idle_limit.setText(f"at most {idle_max} min (workstation policy)")
        self.clipboard_limit.setText(f"at most {clip_max} s (workstation policy)")

    def accept(self) -> None:
        if self.is_admin:
            try:
                self.policy = policy.update(
                    self.store, idle_lock_max_minutes=self.idle_max.value(),
                    clipboard_clear_max_seconds=self.clipboard_max.value())
            except StoreError as exc:
                self.error.setText(str(exc))
                return
        self.idle_minutes = self.policy.clamp_idle_minutes(self.idle.value())
        self.clipboard_seconds = self.policy.clamp_clipboard_seconds(self.clipboard.value())
        super().accept()
