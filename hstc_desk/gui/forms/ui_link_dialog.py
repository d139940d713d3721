# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'link_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QSizePolicy, QVBoxLayout, QWidget)

class Ui_LinkDialog(object):
    def setupUi(self, LinkDialog):
        if not LinkDialog.objectName():
            LinkDialog.setObjectName(u"LinkDialog")
        LinkDialog.resize(520, 420)
        self.mainLayout = QVBoxLayout(LinkDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.srcCaption = QLabel(LinkDialog)
        self.srcCaption.setObjectName(u"srcCaption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.srcCaption)

        self.srcLabel = QLabel(LinkDialog)
        self.srcLabel.setObjectName(u"srcLabel")
        self.srcLabel.setWordWrap(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.srcLabel)

        self.dstCaption = QLabel(LinkDialog)
        self.dstCaption.setObjectName(u"dstCaption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dstCaption)

        self.dstEdit = QLineEdit(LinkDialog)
        self.dstEdit.setObjectName(u"dstEdit")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.dstEdit)

        self.dstInfoCaption = QLabel(LinkDialog)
        self.dstInfoCaption.setObjectName(u"dstInfoCaption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.dstInfoCaption)

        self.dstInfo = QLabel(LinkDialog)
        self.dstInfo.setObjectName(u"dstInfo")
        self.dstInfo.setWordWrap(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.dstInfo)

        self.typeCaption = QLabel(LinkDialog)
        self.typeCaption.setObjectName(u"typeCaption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.typeCaption)

        self.typeCombo = QComboBox(LinkDialog)
        self.typeCombo.setObjectName(u"typeCombo")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.typeCombo)


        self.mainLayout.addLayout(self.form)

        self.markingBox = QGroupBox(LinkDialog)
        self.markingBox.setObjectName(u"markingBox")
        self.pickerHostLayout = QVBoxLayout(self.markingBox)
        self.pickerHostLayout.setObjectName(u"pickerHostLayout")

        self.mainLayout.addWidget(self.markingBox)

        self.errorLabel = QLabel(LinkDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(LinkDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.dstCaption.setBuddy(self.dstEdit)
        self.typeCaption.setBuddy(self.typeCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(LinkDialog)

        QMetaObject.connectSlotsByName(LinkDialog)
    # setupUi

    def retranslateUi(self, LinkDialog):
        LinkDialog.setWindowTitle(QCoreApplication.translate("LinkDialog", u"Link items", None))
        self.srcCaption.setText(QCoreApplication.translate("LinkDialog", u"From", None))
        self.dstCaption.setText(QCoreApplication.translate("LinkDialog", u"&To (item id)", None))
        self.dstEdit.setPlaceholderText(QCoreApplication.translate("LinkDialog", u"PER-0123456789abcdef", None))
        self.dstInfoCaption.setText("")
        self.typeCaption.setText(QCoreApplication.translate("LinkDialog", u"T&ype", None))
        self.markingBox.setTitle(QCoreApplication.translate("LinkDialog", u"Marking of the link", None))
        self.errorLabel.setStyleSheet(QCoreApplication.translate("LinkDialog", u"color: #b00020;", None))
    # retranslateUi

