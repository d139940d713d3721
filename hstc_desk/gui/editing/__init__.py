"""The editing room: the item editor, its fields, the marking picker, pickers by title and the
link dialog."""
