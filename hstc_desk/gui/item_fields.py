"""Kind-specific fields of an item as form widgets, derived from the pydantic model: a Literal is a
combo box, a bool a check box, everything else a line edit (lists comma-separated)."""

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


@dataclass(frozen=True)
class FieldSpec:
    name: str
    base: Any  # str, int, float, bool, date, datetime, or a tuple of Literal choices
    is_list: bool
    optional: bool


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
        out.append(FieldSpec(name, base, is_list, optional or not info.is_required()))
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
                w: QWidget = QComboBox(parent)
                w.addItems([str(c) for c in spec.base])  # type: ignore[attr-defined]
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
                out[name] = w.currentText()
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
                w.setCurrentText(str(v))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(v))
            elif w.text() != v:  # type: ignore[attr-defined]
                w.setText(v)  # type: ignore[attr-defined]

    @staticmethod
    def texts_of(item_data: dict[str, Any], kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in field_specs(kind):
            v = item_data.get(spec.name)
            if spec.base is bool:
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
            if spec.base is bool:
                out[spec.name] = raw
                continue
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
                label = spec.name.replace('_', ' ')
                raise ValueError(f"{label}: {raw!r} is not a number") from None
        return {k: v for k, v in out.items() if v is not None}
