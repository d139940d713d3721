"""The encrypted SQLCipher store."""

from hstc_desk.store import search_head
from hstc_desk.store.errors import (
    AccreditationError,
    AuthError,
    CorruptStoreError,
    NotAStoreError,
    NotFound,
    PermissionDenied,
    StoreError,
)
from hstc_desk.store.keyslots import TEST_KDF, KdfParams
from hstc_desk.store.search import Hit, SearchCursor
from hstc_desk.store.store import Store, UserInfo

__all__ = [
    "TEST_KDF",
    "AccreditationError",
    "AuthError",
    "CorruptStoreError",
    "Hit",
    "KdfParams",
    "NotAStoreError",
    "NotFound",
    "PermissionDenied",
    "SearchCursor",
    "Store",
    "StoreError",
    "UserInfo",
    "search_head",
]
