# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'marking_picker.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QGridLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_MarkingPicker(object):
    def setupUi(self, MarkingPicker):
        if not MarkingPicker.objectName():
            MarkingPicker.setObjectName(u"MarkingPicker")
        MarkingPicker.resize(420, 300)
        self.grid = QGridLayout(MarkingPicker)
        self.grid.setObjectName(u"grid")
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.levelLabel = QLabel(MarkingPicker)
        self.levelLabel.setObjectName(u"levelLabel")

        self.grid.addWidget(self.levelLabel, 0, 0, 1, 1)

        self.levelCombo = QComboBox(MarkingPicker)
        self.levelCombo.setObjectName(u"levelCombo")

        self.grid.addWidget(self.levelCombo, 0, 1, 1, 1)

        self.preview = QLabel(MarkingPicker)
        self.preview.setObjectName(u"preview")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.grid.addWidget(self.preview, 0, 2, 1, 1)

        self.groups = QHBoxLayout()
        self.groups.setObjectName(u"groups")
        self.sciBox = QGroupBox(MarkingPicker)
        self.sciBox.setObjectName(u"sciBox")
        self.sciLayout = QVBoxLayout(self.sciBox)
        self.sciLayout.setObjectName(u"sciLayout")

        self.groups.addWidget(self.sciBox)

        self.dissemBox = QGroupBox(MarkingPicker)
        self.dissemBox.setObjectName(u"dissemBox")
        self.dissemLayout = QVBoxLayout(self.dissemBox)
        self.dissemLayout.setObjectName(u"dissemLayout")

        self.groups.addWidget(self.dissemBox)

        self.nonIcBox = QGroupBox(MarkingPicker)
        self.nonIcBox.setObjectName(u"nonIcBox")
        self.nonIcLayout = QVBoxLayout(self.nonIcBox)
        self.nonIcLayout.setObjectName(u"nonIcLayout")

        self.groups.addWidget(self.nonIcBox)


        self.grid.addLayout(self.groups, 1, 0, 1, 3)

        self.relToCheck = QCheckBox(MarkingPicker)
        self.relToCheck.setObjectName(u"relToCheck")

        self.grid.addWidget(self.relToCheck, 2, 0, 1, 1)

        self.relToEdit = QLineEdit(MarkingPicker)
        self.relToEdit.setObjectName(u"relToEdit")

        self.grid.addWidget(self.relToEdit, 2, 1, 1, 2)

        self.errorLabel = QLabel(MarkingPicker)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.grid.addWidget(self.errorLabel, 3, 0, 1, 3)

#if QT_CONFIG(shortcut)
        self.levelLabel.setBuddy(self.levelCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(MarkingPicker)

        QMetaObject.connectSlotsByName(MarkingPicker)
    # setupUi

    def retranslateUi(self, MarkingPicker):
        self.levelLabel.setText(QCoreApplication.translate("MarkingPicker", u"C&lassification", None))
        self.preview.setStyleSheet(QCoreApplication.translate("MarkingPicker", u"font-weight: bold; font-family: monospace;", None))
        self.sciBox.setTitle(QCoreApplication.translate("MarkingPicker", u"SCI", None))
        self.dissemBox.setTitle(QCoreApplication.translate("MarkingPicker", u"Dissemination", None))
        self.nonIcBox.setTitle(QCoreApplication.translate("MarkingPicker", u"Non-IC", None))
        self.relToCheck.setText(QCoreApplication.translate("MarkingPicker", u"&REL TO", None))
        self.relToEdit.setPlaceholderText(QCoreApplication.translate("MarkingPicker", u"USA, GBR, FVEY \u2026", None))
        self.errorLabel.setStyleSheet(QCoreApplication.translate("MarkingPicker", u"color: #b00020;", None))
        pass
    # retranslateUi

