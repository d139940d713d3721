"""Signed exchange bundles on removable media (DESIGN §6). No Qt here.

keys.py           fingerprints (SHA-256 of the raw Ed25519 key, 16 groups of 4) and key files
trust.py          the trust store: add with the fingerprint typed in, revoke, list; Keyring
zipcodec.py       the canonical zip: written byte for byte, read strictly in memory with limits
bundle_format.py  BagIt layout, bag-info fields, manifests, the detached signature
selection.py      what an export carries: scope, releasability, reasons for what is left out
writer.py         build, sign, write atomically, read back and verify, record
reader.py         verify check by check: signature, hashes, schemas, banner, releasability,
                  expiry, accreditation, sequence
sequence.py       a sender's sequence numbers: replays, reused numbers, gaps as ranges, jumps
merge.py          import in one transaction: newer wins, conflicts kept both under the
                  roll-up of their markings as they arrived, replays no-ops
flows.py          headless state machines the dialogs in hstc_desk.gui.exchange render
"""
