"""Kind-specific fields of an item as form widgets, derived from the pydantic model: a Literal is a
combo box, a bool a check box, everything else a line edit (lists comma-separated).

No field is filled in for the analyst: a choice (a person's role, a network's type, a document's
fraud type, a yes/no with no default in the model) starts with nothing chosen, shown as
"— choose —", and the item is refused until it is chosen; nothing defaults to an accusation."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from hstc_desk.domain import ITEM_CLASSES

BASE_FIELDS = ("id", "kind", "title", "portions", "marking", "case_id", "originator",
               "use_restriction", "version", "created", "updated")
CHOOSE = "— choose —"
YES_NO = ("yes", "no")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    base: Any  # str, int, float, bool, date, datetime, or a tuple of Literal choices
    is_list: bool
    optional: bool
    has_default: bool = False  # the model has a default (a required bool without one is asked)


def _unwrap(tp: Any) -> tuple[Any, bool, bool]:
    optional = is_list = False
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional, tp = True, args[0]
        origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        tp = typing.get_args(tp)[0]
        origin = typing.get_origin(tp)
    if origin is list:
        is_list, tp = True, typing.get_args(tp)[0]
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
        origin = typing.get_origin(tp)
    if origin is Literal:
        return tuple(typing.get_args(tp)), is_list, optional
    if isinstance(tp, type) and issubclass(tp, datetime):
        return datetime, is_list, optional
    return tp, is_list, optional


def field_specs(kind: str) -> list[FieldSpec]:
    cls = ITEM_CLASSES[kind]
    out = []
    for name, info in cls.model_fields.items():
        if name in BASE_FIELDS:
            continue
        base, is_list, optional = _unwrap(info.annotation)
        out.append(FieldSpec(name, base, is_list, optional or not info.is_required(),
                             not info.is_required()))
    return out


class KindFields:
    """The widgets of one kind's own fields, in a form layout; text in, typed values out."""

    def __init__(self, form: QFormLayout, kind: str, parent: QWidget) -> None:
        self.form = form
        self.specs = field_specs(kind)
        self.widgets: dict[str, QWidget] = {}
        while form.rowCount():
            form.removeRow(0)
        for spec in self.specs:
            if isinstance(spec.base, tuple) and not spec.is_list:
                w: QWidget = _choice(parent, [str(c) for c in spec.base])
            elif spec.base is bool and not spec.has_default:
                w = _choice(parent, list(YES_NO))  # asked, never assumed either way
            elif spec.base is bool:
                w = QCheckBox(parent)
            else:
                w = QLineEdit(parent)
                hint = {date: "YYYY-MM-DD", datetime: "YYYY-MM-DDTHH:MM:SS+00:00"}.get(spec.base)
                if spec.is_list:
                    hint = "comma-separated"
                if hint:
                    w.setPlaceholderText(hint)  # type: ignore[attr-defined]
            w.setObjectName(f"field_{spec.name}")
            self.widgets[spec.name] = w
            form.addRow(spec.name.replace("_", " ").capitalize(), w)

    def texts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.widgets.items():
            if isinstance(w, QComboBox):
                out[name] = w.currentText() if w.currentIndex() >= 0 else ""
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            else:
                out[name] = w.text()  # type: ignore[attr-defined]
        return out

    def set_texts(self, values: dict[str, Any]) -> None:
        for name, w in self.widgets.items():
            if name not in values:
                continue
            v = values[name]
            if isinstance(w, QComboBox):
                if isinstance(v, bool):
                    v = YES_NO[0] if v else YES_NO[1]
                w.setCurrentIndex(w.findText(str(v)) if v != "" else -1)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(v))
            elif w.text() != v:  # type: ignore[attr-defined]
                w.setText(v)  # type: ignore[attr-defined]

    @staticmethod
    def texts_of(item_data: dict[str, Any], kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in field_specs(kind):
            v = item_data.get(spec.name)
            if spec.base is bool and not spec.has_default:
                out[spec.name] = "" if v is None else (YES_NO[0] if v else YES_NO[1])
            elif spec.base is bool:
                out[spec.name] = bool(v)
            elif v is None:
                out[spec.name] = ""
            elif spec.is_list:
                out[spec.name] = ", ".join(str(x) for x in v)
            elif isinstance(v, datetime):
                out[spec.name] = v.isoformat()
            else:
                out[spec.name] = str(v)
        return out

    def values(self) -> dict[str, Any]:
        """Typed values for the model; raises ValueError naming the field."""
        out: dict[str, Any] = {}
        texts = self.texts()
        for spec in self.specs:
            raw = texts[spec.name]
            label = spec.name.replace("_", " ")
            if spec.base is bool and not spec.has_default:
                if raw not in YES_NO:
                    raise ValueError(f"{label}: choose yes or no")
                out[spec.name] = raw == YES_NO[0]
                continue
            if spec.base is bool:
                out[spec.name] = raw
                continue
            if isinstance(spec.base, tuple) and not spec.is_list and not raw and not spec.optional:
                raise ValueError(f"{label}: choose one (nothing is chosen for you)")
            if spec.is_list:
                out[spec.name] = [s.strip() for s in raw.split(",") if s.strip()]
                continue
            raw = raw.strip()
            if not raw:
                if not spec.optional:
                    raise ValueError(f"{spec.name.replace('_', ' ')}: required")
                out[spec.name] = None if spec.optional else raw
                if spec.base is str and spec.name in ("area",):
                    out[spec.name] = ""
                continue
            try:
                if spec.base is int:
                    out[spec.name] = int(raw)
                elif spec.base is float:
                    out[spec.name] = float(raw)
                else:
                    out[spec.name] = raw
            except ValueError:
                raise ValueError(f"{label}: {raw!r} is not a number") from None
        return {k: v for k, v in out.items() if v is not None}


def _choice(parent: QWidget, choices: list[str]) -> QComboBox:
    """A combo box of ``choices`` with none chosen until the analyst picks one."""
    box = QComboBox(parent)
    box.addItems(choices)
    box.setPlaceholderText(CHOOSE)
    box.setCurrentIndex(-1)
    return box
