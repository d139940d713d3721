# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'item_editor.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QFormLayout,
    QFrame, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpacerItem, QToolButton,
    QVBoxLayout, QWidget)

class Ui_ItemEditor(object):
    def setupUi(self, ItemEditor):
        if not ItemEditor.objectName():
            ItemEditor.setObjectName(u"ItemEditor")
        ItemEditor.resize(900, 680)
        self.mainLayout = QVBoxLayout(ItemEditor)
        self.mainLayout.setObjectName(u"mainLayout")
        self.conflictFrame = QFrame(ItemEditor)
        self.conflictFrame.setObjectName(u"conflictFrame")
        self.conflictLayout = QHBoxLayout(self.conflictFrame)
        self.conflictLayout.setObjectName(u"conflictLayout")
        self.conflictLabel = QLabel(self.conflictFrame)
        self.conflictLabel.setObjectName(u"conflictLabel")
        self.conflictLabel.setWordWrap(True)

        self.conflictLayout.addWidget(self.conflictLabel)

        self.keepMineButton = QPushButton(self.conflictFrame)
        self.keepMineButton.setObjectName(u"keepMineButton")

        self.conflictLayout.addWidget(self.keepMineButton)

        self.takeTheirsButton = QPushButton(self.conflictFrame)
        self.takeTheirsButton.setObjectName(u"takeTheirsButton")

        self.conflictLayout.addWidget(self.takeTheirsButton)


        self.mainLayout.addWidget(self.conflictFrame)

        self.commonForm = QFormLayout()
        self.commonForm.setObjectName(u"commonForm")
        self.kindLabel = QLabel(ItemEditor)
        self.kindLabel.setObjectName(u"kindLabel")

        self.commonForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kindCombo = QComboBox(ItemEditor)
        self.kindCombo.setObjectName(u"kindCombo")

        self.commonForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.kindCombo)

        self.titleLabel = QLabel(ItemEditor)
        self.titleLabel.setObjectName(u"titleLabel")

        self.commonForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.titleLabel)

        self.titleEdit = QLineEdit(ItemEditor)
        self.titleEdit.setObjectName(u"titleEdit")

        self.commonForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.titleEdit)

        self.originatorLabel = QLabel(ItemEditor)
        self.originatorLabel.setObjectName(u"originatorLabel")

        self.commonForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.originatorLabel)

        self.originatorEdit = QLineEdit(ItemEditor)
        self.originatorEdit.setObjectName(u"originatorEdit")

        self.commonForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.originatorEdit)

        self.caseLabel = QLabel(ItemEditor)
        self.caseLabel.setObjectName(u"caseLabel")

        self.commonForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.caseLabel)

        self.caseEdit = QLineEdit(ItemEditor)
        self.caseEdit.setObjectName(u"caseEdit")

        self.commonForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.caseEdit)

        self.restrictionLabel = QLabel(ItemEditor)
        self.restrictionLabel.setObjectName(u"restrictionLabel")

        self.commonForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.restrictionLabel)

        self.restrictionCombo = QComboBox(ItemEditor)
        self.restrictionCombo.setObjectName(u"restrictionCombo")

        self.commonForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.restrictionCombo)


        self.mainLayout.addLayout(self.commonForm)

        self.fieldsBox = QGroupBox(ItemEditor)
        self.fieldsBox.setObjectName(u"fieldsBox")
        self.fieldsForm = QFormLayout(self.fieldsBox)
        self.fieldsForm.setObjectName(u"fieldsForm")

        self.mainLayout.addWidget(self.fieldsBox)

        self.portionsBox = QGroupBox(ItemEditor)
        self.portionsBox.setObjectName(u"portionsBox")
        self.portionsLayout = QHBoxLayout(self.portionsBox)
        self.portionsLayout.setObjectName(u"portionsLayout")
        self.portionListLayout = QVBoxLayout()
        self.portionListLayout.setObjectName(u"portionListLayout")
        self.portionList = QListWidget(self.portionsBox)
        self.portionList.setObjectName(u"portionList")
        self.portionList.setMaximumWidth(260)

        self.portionListLayout.addWidget(self.portionList)

        self.portionButtons = QHBoxLayout()
        self.portionButtons.setObjectName(u"portionButtons")
        self.addPortionButton = QPushButton(self.portionsBox)
        self.addPortionButton.setObjectName(u"addPortionButton")

        self.portionButtons.addWidget(self.addPortionButton)

        self.removePortionButton = QPushButton(self.portionsBox)
        self.removePortionButton.setObjectName(u"removePortionButton")

        self.portionButtons.addWidget(self.removePortionButton)


        self.portionListLayout.addLayout(self.portionButtons)


        self.portionsLayout.addLayout(self.portionListLayout)

        self.portionEditLayout = QVBoxLayout()
        self.portionEditLayout.setObjectName(u"portionEditLayout")
        self.portionText = QPlainTextEdit(self.portionsBox)
        self.portionText.setObjectName(u"portionText")

        self.portionEditLayout.addWidget(self.portionText)

        self.pickerHost = QWidget(self.portionsBox)
        self.pickerHost.setObjectName(u"pickerHost")
        self.pickerHostLayout = QVBoxLayout(self.pickerHost)
        self.pickerHostLayout.setObjectName(u"pickerHostLayout")
        self.pickerHostLayout.setContentsMargins(0, 0, 0, 0)

        self.portionEditLayout.addWidget(self.pickerHost)


        self.portionsLayout.addLayout(self.portionEditLayout)


        self.mainLayout.addWidget(self.portionsBox)

        self.itemMarkingRow = QHBoxLayout()
        self.itemMarkingRow.setObjectName(u"itemMarkingRow")
        self.itemMarkingCaption = QLabel(ItemEditor)
        self.itemMarkingCaption.setObjectName(u"itemMarkingCaption")

        self.itemMarkingRow.addWidget(self.itemMarkingCaption)

        self.itemMarkingLabel = QLabel(ItemEditor)
        self.itemMarkingLabel.setObjectName(u"itemMarkingLabel")

        self.itemMarkingRow.addWidget(self.itemMarkingLabel)

        self.markSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.itemMarkingRow.addItem(self.markSpacer)

        self.raiseLabel = QLabel(ItemEditor)
        self.raiseLabel.setObjectName(u"raiseLabel")

        self.itemMarkingRow.addWidget(self.raiseLabel)

        self.raiseEdit = QLineEdit(ItemEditor)
        self.raiseEdit.setObjectName(u"raiseEdit")

        self.itemMarkingRow.addWidget(self.raiseEdit)


        self.mainLayout.addLayout(self.itemMarkingRow)

        self.errorLabel = QLabel(ItemEditor)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.undoButton = QToolButton(ItemEditor)
        self.undoButton.setObjectName(u"undoButton")

        self.buttonRow.addWidget(self.undoButton)

        self.redoButton = QToolButton(ItemEditor)
        self.redoButton.setObjectName(u"redoButton")

        self.buttonRow.addWidget(self.redoButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.cancelButton = QPushButton(ItemEditor)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttonRow.addWidget(self.cancelButton)

        self.saveButton = QPushButton(ItemEditor)
        self.saveButton.setObjectName(u"saveButton")

        self.buttonRow.addWidget(self.saveButton)


        self.mainLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.titleLabel.setBuddy(self.titleEdit)
        self.originatorLabel.setBuddy(self.originatorEdit)
        self.caseLabel.setBuddy(self.caseEdit)
        self.raiseLabel.setBuddy(self.raiseEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ItemEditor)

        self.saveButton.setDefault(True)


        QMetaObject.connectSlotsByName(ItemEditor)
    # setupUi

    def retranslateUi(self, ItemEditor):
        ItemEditor.setWindowTitle(QCoreApplication.translate("ItemEditor", u"Item editor", None))
        self.conflictFrame.setStyleSheet(QCoreApplication.translate("ItemEditor", u"QFrame#conflictFrame { background: #fff3cd; border: 1px solid #c99a00; }", None))
        self.keepMineButton.setText(QCoreApplication.translate("ItemEditor", u"Save mine on top", None))
        self.takeTheirsButton.setText(QCoreApplication.translate("ItemEditor", u"Load theirs (undo returns mine)", None))
        self.kindLabel.setText(QCoreApplication.translate("ItemEditor", u"Kind", None))
        self.titleLabel.setText(QCoreApplication.translate("ItemEditor", u"&Title", None))
        self.originatorLabel.setText(QCoreApplication.translate("ItemEditor", u"&Originator", None))
        self.caseLabel.setText(QCoreApplication.translate("ItemEditor", u"&Case", None))
        self.caseEdit.setPlaceholderText(QCoreApplication.translate("ItemEditor", u"CAS-\u2026 (optional)", None))
        self.restrictionLabel.setText(QCoreApplication.translate("ItemEditor", u"Use restriction", None))
        self.fieldsBox.setTitle(QCoreApplication.translate("ItemEditor", u"Details", None))
        self.portionsBox.setTitle(QCoreApplication.translate("ItemEditor", u"Portions (each paragraph carries its own mark)", None))
        self.addPortionButton.setText(QCoreApplication.translate("ItemEditor", u"&Add", None))
        self.removePortionButton.setText(QCoreApplication.translate("ItemEditor", u"&Remove", None))
        self.itemMarkingCaption.setText(QCoreApplication.translate("ItemEditor", u"Item marking (roll-up):", None))
        self.itemMarkingLabel.setStyleSheet(QCoreApplication.translate("ItemEditor", u"font-weight: bold; font-family: monospace;", None))
        self.raiseLabel.setText(QCoreApplication.translate("ItemEditor", u"Raise &to", None))
        self.raiseEdit.setPlaceholderText(QCoreApplication.translate("ItemEditor", u"e.g. S//NF (never below the portions)", None))
        self.errorLabel.setStyleSheet(QCoreApplication.translate("ItemEditor", u"color: #b00020;", None))
        self.undoButton.setText(QCoreApplication.translate("ItemEditor", u"Undo", None))
        self.redoButton.setText(QCoreApplication.translate("ItemEditor", u"Redo", None))
        self.cancelButton.setText(QCoreApplication.translate("ItemEditor", u"Close", None))
        self.saveButton.setText(QCoreApplication.translate("ItemEditor", u"&Save", None))
    # retranslateUi

