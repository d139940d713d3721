"""``hstc report``: a product version as a marked PDF, and ``hstc report verify`` of such a PDF
(DESIGN §5, §7; issue 11 items 4 and 5).

    hstc report STORE PRODUCT_ID --out FILE.pdf [--tearline DEST] [--version N] [--force]
    hstc report verify FILE.pdf [--store STORE | --fingerprint FP]
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.product_text import version_number
from hstc_desk.cli.store_commands import opened

MAX_PDF_BYTES = 256 * 1024 * 1024
USAGE = ("hstc report STORE PRODUCT_ID --out FILE.pdf [--tearline DEST] [--version N] [--force]\n"
         "       hstc report verify FILE.pdf [--store STORE | --fingerprint FP]")


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", usage=USAGE,
                       help="a product as a marked PDF; `report verify FILE.pdf` checks one",
                       description="Render a product version to a marked PDF, or (`hstc report "
                                   "verify FILE.pdf`) check that a product PDF is exactly what "
                                   "its signed version renders to.")
    p.add_argument("store", metavar="STORE", help="store folder (or the word verify)")
    p.add_argument("product_id", metavar="PRODUCT_ID", help="product id (or, after verify, "
                                                            "the PDF file)")
    p.add_argument("--out", metavar="FILE.pdf", help="the PDF to write")
    p.add_argument("--tearline", metavar="DEST", help="the tearline version for DEST alone")
    p.add_argument("--version", type=version_number, help="a given version (default: latest)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")
    p.add_argument("--store", dest="trust_store", metavar="STORE",
                   help="verify: trust this store's supervisors and trusted workstations")
    p.add_argument("--fingerprint", metavar="FP",
                   help="verify: trust the signer key with this SHA-256 fingerprint")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    if args.store == "verify":
        return cmd_verify(args)
    if args.trust_store or args.fingerprint:
        raise UsageError("--store and --fingerprint belong to `hstc report verify FILE.pdf`")
    if not args.out:
        raise UsageError(f"--out FILE.pdf is required\nusage: {USAGE}")
    return cmd_render(args)


def cmd_render(args: argparse.Namespace) -> int:
    from hstc_desk.atomic import atomic_write
    from hstc_desk.outputs import guard_output
    from hstc_desk.reports.from_store import document_of
    from hstc_desk.reports.render import render_document

    if not args.out.lower().endswith(".pdf"):
        raise UsageError("--out must name a .pdf file")
    out = guard_output(args.out, force=args.force, stores=[args.store])
    with opened(args, readonly=True) as store:
        doc = document_of(store, args.product_id, version=args.version, tearline=args.tearline)
    data = render_document(doc)
    atomic_write(out, data, mode=0o600)
    p = doc.product
    what = f"tearline version for {doc.tearline} ({p.id}) of {args.product_id}" \
        if doc.tearline else p.id
    state = (f"approved, signed off by {doc.signoff.signer}" if doc.approved and doc.signoff
             else f"DRAFT ({p.status.replace('_', ' ')})")
    print(f"wrote {args.out}: {what} version {p.version}, {state}")
    print(f"banner {doc.banner().banner()}")
    if doc.approved:
        print("the file carries its signed version: `hstc report verify` checks it")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from hstc_desk.inputs import read_regular_file
    from hstc_desk.reports.verify import trust_fingerprint, verify_pdf

    if args.out or args.tearline or args.version or args.force:
        raise UsageError("`hstc report verify FILE.pdf` takes --store or --fingerprint only")
    if args.trust_store and args.fingerprint:
        raise UsageError("give --store or --fingerprint, not both")
    pdf = read_regular_file(args.product_id, MAX_PDF_BYTES, "PDF")
    if args.trust_store:
        from argparse import Namespace

        from hstc_desk.reports.from_store import store_trust

        with opened(Namespace(store=args.trust_store, user=args.user,
                              password_file=args.password_file), readonly=True) as store:
            trusted = store_trust(store)
            verdict = verify_pdf(pdf, trusted)
    else:
        verdict = verify_pdf(pdf, trust_fingerprint(args.fingerprint)
                             if args.fingerprint else None)
    if not verdict.ok:
        print(f"hstc: PDF INVALID: check {verdict.failed} failed: {verdict.reason}",
              file=sys.stderr)
        return 1
    for line in verdict.lines:
        print(line)
    return 0
