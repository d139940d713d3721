"""Export a movement view as a marked PNG or SVG: the plot, its banner painted top and bottom
in the standard colour, and the figure's record (marking, items depicted) inside the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from hstc_desk import markings
from hstc_desk.atomic import atomic_write
from hstc_desk.gui.widgets.banner import banner_colours
from hstc_desk.movement.figures import KEY, FigureError, FigureRecord, parse_record

BANNER_PX = 26


def _paint(painter: QPainter, plot: QWidget, banner: str, size: QSize) -> None:
    marking = markings.parse(banner)
    bg, fg = banner_colours(marking)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSize(10)
    painter.setFont(font)
    for top in (0, size.height() - BANNER_PX):
        rect = QRect(0, top, size.width(), BANNER_PX)
        painter.fillRect(rect, QColor(bg))
        painter.setPen(QColor(fg))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, marking.banner())
    painter.translate(0, BANNER_PX)
    plot.render(painter)


def render_png(plot: QWidget, rec: FigureRecord) -> bytes:
    size = QSize(plot.width(), plot.height() + 2 * BANNER_PX)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    _paint(painter, plot, rec.banner, size)
    painter.end()
    image.setText(KEY, rec.to_json())
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(dev, "PNG")
    return bytes(buf.data())


def render_svg(plot: QWidget, rec: FigureRecord) -> bytes:
    size = QSize(plot.width(), plot.height() + 2 * BANNER_PX)
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(dev)
    gen.setSize(size)
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle(rec.banner)
    gen.setDescription(rec.to_json())
    painter = QPainter(gen)
    _paint(painter, plot, rec.banner, size)
    painter.end()
    return bytes(buf.data())


def export_plot(plot: QWidget, rec: FigureRecord, path: Path) -> FigureRecord:
    """Write ``plot`` framed by its banners to ``path`` (.png or .svg), atomically."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        data = render_png(plot, rec)
    elif suffix == ".svg":
        data = render_svg(plot, rec)
    else:
        raise ValueError(f"{path.name}: a figure is written as .png or .svg")
    atomic_write(path, data, mode=0o600)
    return rec


def read_record(path: Path) -> FigureRecord:
    """The figure record inside an exported PNG or SVG (a product reads it to place a figure)."""
    if path.stat().st_size > 64 * 1024 * 1024:
        raise FigureError(f"{path.name} is larger than a figure may be (64 MiB)")
    if path.suffix.lower() == ".png":
        return parse_record(QImage(str(path)).text(KEY))
    from xml.etree import ElementTree

    root = ElementTree.parse(path).getroot()  # our own output, from a trusted writer
    desc = root.find("{http://www.w3.org/2000/svg}desc")
    return parse_record(desc.text if desc is not None else None)
