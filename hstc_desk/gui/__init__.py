"""Everything Qt: the ``hstc-desk`` entry, main window, item models, widgets and dialogs."""
