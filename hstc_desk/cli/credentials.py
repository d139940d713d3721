"""Where the command gets users and passwords: flags, environment, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys

from hstc_desk.inputs import InputError, read_regular_file, shown

PASSWORD_FILE_MAX = 4096


class UsageError(Exception):
    """Wrong use of the command (exit status 2)."""


def user_name(arg: str | None) -> str:
    name = arg or os.environ.get("HSTC_USER")
    if not name:
        raise UsageError("no user: pass --user NAME or set HSTC_USER")
    return name


def _read_password_file(path: str) -> str:
    data = read_regular_file(path, PASSWORD_FILE_MAX, "password file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"the password file {shown(path)} is not UTF-8 text") from None
    return text.rstrip("\r\n")


def password(file_arg: str | None, *, env: str = "HSTC_PASSWORD", prompt: str = "Password: ",
             confirm: bool = False) -> str:
    """The password from --password-file, then the environment, then a prompt on a terminal."""
    if file_arg:
        return _read_password_file(file_arg)
    value = os.environ.get(env)
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"{env} is not UTF-8 text") from None
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"no password: set {env}, pass a password file, or run on a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise UsageError("the passwords do not match")
    return first
