"""HSTC Desk: the analyst workstation of the Human Smuggling and Trafficking Center."""

__version__ = "0.1.0"
APP_NAME = "HSTC Desk"
