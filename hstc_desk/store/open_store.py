"""What the store's own helpers (certificates, anchors, policy, rekey) need of an open store.

``store.Store`` has all of it. The store calls those modules while it opens and acts, so they
type their argument with this protocol instead of importing ``store.Store``: no import circle.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


class OpenStore(Protocol):
    path: Path
    conn: Any  # a sqlcipher3 connection
    user: Any  # store.UserInfo
    store_id: str
    readonly: bool
    _keys: Any  # keyslots.Unlocked
    _slots: Any  # keyslots.KeySlots
    _access: str

    @property
    def signing_key(self) -> Ed25519PrivateKey: ...

    @property
    def workstation_key(self) -> Ed25519PrivateKey: ...

    def transaction(self) -> contextlib.AbstractContextManager[Any]: ...

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> Any: ...

    def audit_system(self, action: str, target: str, detail: dict[str, Any]) -> Any: ...

    def audit_head(self) -> Any: ...

    def reload_slots(self) -> Any: ...

    def require_role(self, *roles: str) -> None: ...

    def close(self) -> None: ...
