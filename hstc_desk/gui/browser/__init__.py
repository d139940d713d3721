"""The browser room: the paged item table and its model, filters, case tree, detail pane."""
