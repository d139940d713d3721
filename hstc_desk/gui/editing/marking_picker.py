"""The marking picker: classification, SCI, dissemination, REL TO and non-IC controls.

It offers only combinations the rules allow (an option that would break a rule is disabled, with
the rule as its tooltip) and shows the resulting portion mark live; anything still refused is
shown inline, naming the token and the rule. It starts with no marking at all ("— choose a
marking —"): nothing is marked for the analyst, not even UNCLASSIFIED.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QWidget

from hstc_desk import markings
from hstc_desk.gui.forms.ui_marking_picker import Ui_MarkingPicker
from hstc_desk.markings import Level, Marking, MarkingError, Rule
from hstc_desk.markings.registry import REL_TO, USA

UNSET_TEXT = "— choose a marking —"


class MarkingPicker(QWidget):
    """Emits ``changed(portion)`` whenever the picked marking changes ('' while it is invalid
    or not yet chosen)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_MarkingPicker()
        self.ui.setupUi(self)
        reg = markings.registry()
        for level in Level:
            self.ui.levelCombo.addItem(f"{reg.level_long[level]} ({reg.level_short[level]})",
                                       int(level))
        self.sci = self._boxes(reg.sci, self.ui.sciLayout)
        self.dissem = self._boxes([d for d in reg.dissem if d != REL_TO], self.ui.dissemLayout)
        self.non_ic = self._boxes(reg.non_ic, self.ui.nonIcLayout)
        self.ui.levelCombo.setPlaceholderText(UNSET_TEXT)
        self.ui.levelCombo.setCurrentIndex(-1)
        self._marking: Marking | None = None
        self._quiet = False
        self.ui.levelCombo.currentIndexChanged.connect(self._update)
        self.ui.relToCheck.toggled.connect(self._update)
        self.ui.relToEdit.textChanged.connect(self._update)
        self._update()

    def _boxes(self, names: list[str] | tuple[str, ...], layout: object) -> dict[str, QCheckBox]:
        out = {}
        for name in names:
            box = QCheckBox(name, self)
            box.setObjectName(f"check_{name.replace(' ', '_').replace('-', '_')}")
            box.toggled.connect(self._update)
            layout.addWidget(box)  # type: ignore[attr-defined]
            out[name] = box
        layout.addStretch(1)  # type: ignore[attr-defined]
        return out

    # ---- state ----

    def marking(self) -> Marking | None:
        return self._marking

    def portion(self) -> str:
        return self._marking.portion() if self._marking else ""

    def error(self) -> str:
        return self.ui.errorLabel.text()

    def is_unset(self) -> bool:
        """No classification chosen yet."""
        return self.ui.levelCombo.currentIndex() < 0

    def set_marking(self, text: str | Marking | None) -> None:
        """Show a marking; '' or None shows the picker with nothing chosen."""
        if not text:
            self._quiet = True
            try:
                self.ui.levelCombo.setCurrentIndex(-1)
                for box in (*self.sci.values(), *self.dissem.values(), *self.non_ic.values()):
                    box.setChecked(False)
                self.ui.relToCheck.setChecked(False)
                self.ui.relToEdit.setText("")
            finally:
                self._quiet = False
            self._update()
            return
        m = text if isinstance(text, Marking) else markings.parse(text)
        self._quiet = True
        try:
            self.ui.levelCombo.setCurrentIndex(self.ui.levelCombo.findData(int(m.level)))
            for name, box in self.sci.items():
                box.setChecked(name in m.sci)
            for name, box in self.dissem.items():
                box.setChecked(name in m.dissem)
            for name, box in self.non_ic.items():
                box.setChecked(name in m.non_ic)
            self.ui.relToCheck.setChecked(m.rel_to is not None)
            self.ui.relToEdit.setText(", ".join(m.rel_to or ()))
        finally:
            self._quiet = False
        self._update()

    # ---- rules ----

    def _allow(self, box: QCheckBox, allowed: bool, rule: str) -> None:
        if not allowed and box.isChecked():
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        box.setEnabled(allowed)
        box.setToolTip("" if allowed else f"Not allowed: {rule}")

    def _update(self) -> None:
        if self._quiet:
            return
        if self.is_unset():
            for box in (*self.sci.values(), *self.dissem.values(), *self.non_ic.values()):
                self._allow(box, False, "choose the classification first")
            self.ui.relToCheck.setEnabled(False)
            self.ui.relToEdit.setEnabled(False)
            self._marking = None
            self.ui.preview.setText("not marked")
            self.ui.errorLabel.setText("")
            self.changed.emit("")
            return
        level = Level(self.ui.levelCombo.currentData())
        classified = level > Level.U
        for box in self.sci.values():
            self._allow(box, classified, Rule.CLASSIFIED_ONLY)
        self._allow(self.dissem["ORCON"], classified, Rule.CLASSIFIED_ONLY)
        self._allow(self.dissem["IMCON"], classified, Rule.CLASSIFIED_ONLY)
        self._allow(self.dissem["FOUO"], not classified, Rule.FOUO_UNCLASSIFIED)
        rel = self.ui.relToCheck.isChecked()
        nf = self.dissem["NOFORN"].isChecked()
        self._allow(self.dissem["NOFORN"], not rel and not self.dissem["RELIDO"].isChecked(),
                    Rule.NOFORN_REL_TO)
        self._allow(self.dissem["RELIDO"], not nf, Rule.RELIDO_NOFORN)
        self._allow(self.non_ic["LES-NF"], not rel and not self.non_ic["LES"].isChecked(),
                    Rule.LES_ONCE if self.non_ic["LES"].isChecked() else Rule.LES_NF_REL_TO)
        self._allow(self.non_ic["LES"], not self.non_ic["LES-NF"].isChecked(), Rule.LES_ONCE)
        rel_allowed = not nf and not self.non_ic["LES-NF"].isChecked()
        self.ui.relToCheck.setEnabled(rel_allowed)
        if not rel_allowed and rel:
            self.ui.relToCheck.setChecked(False)  # re-enters _update
            return
        self.ui.relToEdit.setEnabled(self.ui.relToCheck.isChecked())
        self._marking, error = self._build(level)
        self.ui.preview.setText(self._marking.portion() if self._marking else "—")
        self.ui.errorLabel.setText(error)
        self.changed.emit(self.portion())

    def _build(self, level: Level) -> tuple[Marking | None, str]:
        rel_to = None
        if self.ui.relToCheck.isChecked():
            codes = [c.strip().upper() for c in self.ui.relToEdit.text().replace(";", ",")
                     .split(",") if c.strip()]
            reg = markings.registry()
            unknown = [c for c in codes if not reg.is_rel_entry(c)]
            if unknown:
                return None, (f"{unknown[0]} is not a country trigraph or group code "
                              f"(rule: {Rule.UNKNOWN_TOKEN})")
            rel_to = (USA, *dict.fromkeys(c for c in codes if c != USA))
        try:
            m = Marking(level,
                        sci=frozenset(n for n, b in self.sci.items() if b.isChecked()),
                        dissem=frozenset(n for n, b in self.dissem.items() if b.isChecked()),
                        rel_to=rel_to,
                        non_ic=frozenset(n for n, b in self.non_ic.items() if b.isChecked()))
        except MarkingError as exc:
            return None, str(exc)
        return m, ""
