# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'unlock_dialog.ui'
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
    QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_UnlockDialog(object):
    def setupUi(self, UnlockDialog):
        if not UnlockDialog.objectName():
            UnlockDialog.setObjectName(u"UnlockDialog")
        UnlockDialog.resize(520, 260)
        self.mainLayout = QVBoxLayout(UnlockDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.heading = QLabel(UnlockDialog)
        self.heading.setObjectName(u"heading")

        self.mainLayout.addWidget(self.heading)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.storeLabel = QLabel(UnlockDialog)
        self.storeLabel.setObjectName(u"storeLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.storeLabel)

        self.storeRow = QHBoxLayout()
        self.storeRow.setObjectName(u"storeRow")
        self.storeCombo = QComboBox(UnlockDialog)
        self.storeCombo.setObjectName(u"storeCombo")
        self.storeCombo.setEditable(True)
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.storeCombo.sizePolicy().hasHeightForWidth())
        self.storeCombo.setSizePolicy(sizePolicy)

        self.storeRow.addWidget(self.storeCombo)

        self.browseButton = QPushButton(UnlockDialog)
        self.browseButton.setObjectName(u"browseButton")

        self.storeRow.addWidget(self.browseButton)


        self.form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.storeRow)

        self.userLabel = QLabel(UnlockDialog)
        self.userLabel.setObjectName(u"userLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(UnlockDialog)
        self.userEdit.setObjectName(u"userEdit")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passwordLabel = QLabel(UnlockDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(UnlockDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)


        self.mainLayout.addLayout(self.form)

        self.errorLabel = QLabel(UnlockDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.errorLabel)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.spacer)

        self.buttons = QHBoxLayout()
        self.buttons.setObjectName(u"buttons")
        self.newStoreButton = QPushButton(UnlockDialog)
        self.newStoreButton.setObjectName(u"newStoreButton")

        self.buttons.addWidget(self.newStoreButton)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttons.addItem(self.buttonSpacer)

        self.cancelButton = QPushButton(UnlockDialog)
        self.cancelButton.setObjectName(u"cancelButton")

        self.buttons.addWidget(self.cancelButton)

        self.unlockButton = QPushButton(UnlockDialog)
        self.unlockButton.setObjectName(u"unlockButton")

        self.buttons.addWidget(self.unlockButton)


        self.mainLayout.addLayout(self.buttons)

#if QT_CONFIG(shortcut)
        self.storeLabel.setBuddy(self.storeCombo)
        self.userLabel.setBuddy(self.userEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.storeCombo, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.unlockButton)

        self.retranslateUi(UnlockDialog)

        self.unlockButton.setDefault(True)


        QMetaObject.connectSlotsByName(UnlockDialog)
    # setupUi

    def retranslateUi(self, UnlockDialog):
        UnlockDialog.setWindowTitle(QCoreApplication.translate("UnlockDialog", u"HSTC Desk \u2014 Unlock", None))
        self.heading.setText(QCoreApplication.translate("UnlockDialog", u"<b>Unlock a store</b>", None))
        self.storeLabel.setText(QCoreApplication.translate("UnlockDialog", u"&Store", None))
        self.browseButton.setText(QCoreApplication.translate("UnlockDialog", u"Browse\u2026", None))
        self.userLabel.setText(QCoreApplication.translate("UnlockDialog", u"&User", None))
        self.passwordLabel.setText(QCoreApplication.translate("UnlockDialog", u"&Password", None))
        self.errorLabel.setStyleSheet(QCoreApplication.translate("UnlockDialog", u"color: #b00020;", None))
        self.newStoreButton.setText(QCoreApplication.translate("UnlockDialog", u"&New store\u2026", None))
        self.cancelButton.setText(QCoreApplication.translate("UnlockDialog", u"Cancel", None))
        self.unlockButton.setText(QCoreApplication.translate("UnlockDialog", u"&Unlock", None))
    # retranslateUi

