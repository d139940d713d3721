# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_store_dialog.ui'
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
    QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_NewStoreDialog(object):
    def setupUi(self, NewStoreDialog):
        if not NewStoreDialog.objectName():
            NewStoreDialog.setObjectName(u"NewStoreDialog")
        NewStoreDialog.resize(520, 300)
        self.mainLayout = QVBoxLayout(NewStoreDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.pathLabel = QLabel(NewStoreDialog)
        self.pathLabel.setObjectName(u"pathLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.pathLabel)

        self.pathRow = QHBoxLayout()
        self.pathRow.setObjectName(u"pathRow")
        self.pathEdit = QLineEdit(NewStoreDialog)
        self.pathEdit.setObjectName(u"pathEdit")

        self.pathRow.addWidget(self.pathEdit)

        self.browseButton = QPushButton(NewStoreDialog)
        self.browseButton.setObjectName(u"browseButton")

        self.pathRow.addWidget(self.browseButton)


        self.form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.pathRow)

        self.adminLabel = QLabel(NewStoreDialog)
        self.adminLabel.setObjectName(u"adminLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.adminLabel)

        self.adminEdit = QLineEdit(NewStoreDialog)
        self.adminEdit.setObjectName(u"adminEdit")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.adminEdit)

        self.passwordLabel = QLabel(NewStoreDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(NewStoreDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)

        self.confirmLabel = QLabel(NewStoreDialog)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(NewStoreDialog)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.confirmEdit)

        self.accreditationLabel = QLabel(NewStoreDialog)
        self.accreditationLabel.setObjectName(u"accreditationLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.accreditationLabel)

        self.accreditationCombo = QComboBox(NewStoreDialog)
        self.accreditationCombo.addItem("")
        self.accreditationCombo.addItem("")
        self.accreditationCombo.addItem("")
        self.accreditationCombo.addItem("")
        self.accreditationCombo.addItem("")
        self.accreditationCombo.addItem("")
        self.accreditationCombo.setObjectName(u"accreditationCombo")
        self.accreditationCombo.setEditable(True)

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.accreditationCombo)


        self.mainLayout.addLayout(self.form)

        self.errorLabel = QLabel(NewStoreDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(NewStoreDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.pathLabel.setBuddy(self.pathEdit)
        self.adminLabel.setBuddy(self.adminEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
        self.accreditationLabel.setBuddy(self.accreditationCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(NewStoreDialog)

        QMetaObject.connectSlotsByName(NewStoreDialog)
    # setupUi

    def retranslateUi(self, NewStoreDialog):
        NewStoreDialog.setWindowTitle(QCoreApplication.translate("NewStoreDialog", u"HSTC Desk \u2014 New store", None))
        self.pathLabel.setText(QCoreApplication.translate("NewStoreDialog", u"&Folder", None))
        self.browseButton.setText(QCoreApplication.translate("NewStoreDialog", u"Browse\u2026", None))
        self.adminLabel.setText(QCoreApplication.translate("NewStoreDialog", u"First &admin", None))
        self.adminEdit.setText(QCoreApplication.translate("NewStoreDialog", u"admin", None))
        self.passwordLabel.setText(QCoreApplication.translate("NewStoreDialog", u"&Password", None))
        self.confirmLabel.setText(QCoreApplication.translate("NewStoreDialog", u"&Confirm", None))
        self.accreditationLabel.setText(QCoreApplication.translate("NewStoreDialog", u"A&ccreditation", None))
        self.accreditationCombo.setItemText(0, QCoreApplication.translate("NewStoreDialog", u"TS//HCS/SI/TK", None))
        self.accreditationCombo.setItemText(1, QCoreApplication.translate("NewStoreDialog", u"TS//SI", None))
        self.accreditationCombo.setItemText(2, QCoreApplication.translate("NewStoreDialog", u"TS", None))
        self.accreditationCombo.setItemText(3, QCoreApplication.translate("NewStoreDialog", u"S", None))
        self.accreditationCombo.setItemText(4, QCoreApplication.translate("NewStoreDialog", u"C", None))
        self.accreditationCombo.setItemText(5, QCoreApplication.translate("NewStoreDialog", u"U", None))

        self.errorLabel.setStyleSheet(QCoreApplication.translate("NewStoreDialog", u"color: #b00020;", None))
    # retranslateUi

