"""Exchange pages and dialogs: trusted keys, export with preview, verify and import.

Thin widgets over the headless flows in ``hstc_desk.exchange.flows``; each takes a Store.
"""

from hstc_desk.gui.exchange.conflicts_dialog import ConflictsDialog
from hstc_desk.gui.exchange.export_dialog import ExportDialog
from hstc_desk.gui.exchange.import_dialog import ImportDialog
from hstc_desk.gui.exchange.keys_page import TrustedKeysPage

__all__ = ["ConflictsDialog", "ExportDialog", "ImportDialog", "TrustedKeysPage"]
