"""``hstc product ...``: draft, review, approve (signed sign-off), verify (DESIGN §5, §7)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.store_commands import opened

_PORTION = re.compile(r"\s*\(([^()]{1,300})\)\s*(.+)", re.DOTALL)
MAX_VERSION = (1 << 63) - 1  # SQLite's INTEGER; store.products.MAX_VERSION
# Control characters (C0 but LF and TAB, DEL, C1) in stored text are refused on the way in; on
# the way out they are shown escaped as well, so nothing printed can drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters written as escapes (\\x1b, \\n in a one-line field)."""
    pattern = _CONTROL_OR_BREAK if one_line else _CONTROL
    return pattern.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def version_number(text: str) -> int:
    """A version number: a whole number from 1 to 2^63 - 1 (a usage error otherwise)."""
    if not re.fullmatch(r"[0-9]{1,19}", text.strip()) or not 1 <= int(text) <= MAX_VERSION:
        raise argparse.ArgumentTypeError(f"a version is a whole number from 1 to {MAX_VERSION}, "
                                         f"not {text[:40]!r}")
    return int(text)
_TYPES = ("intelligence_bulletin", "intelligence_report", "strategic_assessment",
          "target_assessment", "target_package")


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", metavar="STORE", help="store folder")
    p.add_argument("--user", help="user name (default: $HSTC_USER)")
    p.add_argument("--password-file", help="file holding the password (default: $HSTC_PASSWORD "
                   "or a prompt)")


def _id_cmd(psub: Any, name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
    p = psub.add_parser(name, help=help_text)
    _store_arg(p)
    p.add_argument("product_id", metavar="ID")
    p.set_defaults(func=func)
    return p


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("product", help="products: draft, review, sign-off, verify")
    psub = p.add_subparsers(dest="product_command", required=True, parser_class=parser_class)
    n = psub.add_parser("new", help="draft a product from marked portions and citations")
    _store_arg(n)
    n.add_argument("--type", required=True, choices=_TYPES, dest="ptype")
    n.add_argument("--title", required=True)
    n.add_argument("--title-marking", required=True, metavar='"(S//NF)"',
                   help="the title's portion mark (asked for, never assumed)")
    n.add_argument("--portion", action="append", default=[], metavar='"(S//NF) text"',
                   help="a paragraph, starting with its portion mark (repeatable, in order)")
    n.add_argument("--cite", action="append", default=[], metavar="ITEM_ID",
                   help="cite a case item (after the paragraphs; repeatable)")
    n.add_argument("--classified-by", help="who classified it (one line)")
    n.add_argument("--derived-from", help="the source of the classification (one line)")
    n.add_argument("--declassify-on", help='a date YYYYMMDD, an exemption with its date '
                   '("25X1, 20761231"), 50X1-HUM, 50X2-WMD, or a registered event')
    n.set_defaults(func=cmd_new)
    ls = psub.add_parser("list", help="the latest version of each product")
    _store_arg(ls)
    ls.add_argument("--status", choices=["draft", "in_review", "approved"])
    ls.set_defaults(func=cmd_list)
    show = _id_cmd(psub, "show", "show a product, marked", cmd_show)
    show.add_argument("--version", type=version_number)
    show.add_argument("--json", action="store_true")
    _id_cmd(psub, "submit", "submit a draft for review", cmd_submit)
    _id_cmd(psub, "approve", "approve and sign (supervisor; not the author or an editor)",
            cmd_approve)
    ret = _id_cmd(psub, "return", "return a product in review to draft, with a comment",
                  cmd_return)
    ret.add_argument("--comment", required=True)
    ver = _id_cmd(psub, "verify", "verify the sign-off: exit 0 valid, 1 with the reason",
                  cmd_verify)
    ver.add_argument("--version", type=version_number)


def _authority(args: argparse.Namespace) -> Any:
    from hstc_desk.domain.products import Authority

    given = [args.classified_by, args.derived_from, args.declassify_on]
    if not any(given):
        return None
    if not all(given):
        raise UsageError("give --classified-by, --derived-from and --declassify-on together")
    return Authority(classified_by=args.classified_by, derived_from=args.derived_from,
                     declassify_on=args.declassify_on)


def _portions(args: argparse.Namespace) -> list[Any]:
    from hstc_desk.domain.products import Citation, Paragraph

    out: list[Any] = []
    for text in args.portion:
        m = _PORTION.fullmatch(text)
        if not m:
            raise UsageError(f"--portion must start with its portion mark, as in "
                             f"\"(S//NF) text\": {text[:40]!r}")
        out.append(Paragraph(marking=m[1], text=m[2].strip()))
    out += [Citation(item_id=i, marking="U") for i in args.cite]  # marking taken from the item
    if not out:
        raise UsageError("a product needs at least one --portion or --cite")
    return out


def cmd_new(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from hstc_desk.domain.errors import domain_error
    from hstc_desk.store import products as P

    try:
        portions = _portions(args)
    except ValidationError as exc:
        raise domain_error(exc, prefix="portion") from None
    try:
        authority = _authority(args)
    except ValidationError as exc:
        raise domain_error(exc, prefix="authority") from None
    with opened(args) as store:
        p = P.create(store, product_type=args.ptype, title=args.title, portions=portions,
                     title_marking=args.title_marking, authority=authority)
    print(p.id)
    print(f"banner {p.banner()}")
    if p.leads_only:
        print("use restriction: leads only (cites leads-only information)")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args, readonly=True) as store:
        after, rows = "", 0
        while True:
            page = P.list_products(store, status=args.status, after=after)
            for p in page:
                print(f"{p.id}\tv{p.version}\t{p.status}\t{p.product_type}\t{p.banner()}\t"
                      f"{_safe(p.title, one_line=True)}")
            rows += len(page)
            if len(page) < 200:
                break
            after = page[-1].id
    if not rows:
        print("no products", file=sys.stderr)
    return 0


def _show_lines(p: Any, stored: Any) -> list[str]:
    banner = p.banner()
    out = [banner, "", f"({p.title_marking.strip('()')}) {_safe(p.title, one_line=True)}",
           f"{p.product_type.replace('_', ' ')}, version {p.version}, {p.status.replace('_', ' ')}"
           f"; author {p.author}" + (f"; editors {', '.join(p.editors)}" if p.editors else "")]
    if p.authority is not None:
        a = p.authority
        out += [f"Classified By: {_safe(a.classified_by, one_line=True)}",
                f"Derived From: {_safe(a.derived_from, one_line=True)}",
                f"Declassify On: {_safe(a.declassify_on, one_line=True)}"]
    if p.leads_only:
        out.append("USE RESTRICTION: FOR INVESTIGATIVE LEADS ONLY. Not for use in affidavits, "
                   "subpoenas, grand jury or court proceedings without the originator's "
                   "authorization.")
    out.append("")
    for portion in p.portions:
        if portion.type == "paragraph":
            out.append(f"{portion.marking} {_safe(portion.text)}")
        elif portion.type == "figure":
            ref = f" [{portion.data}]" if portion.data else ""
            out.append(f"{portion.marking} Figure ({portion.kind}): "
                       f"{_safe(portion.caption, one_line=True)}{ref}")
        else:
            note = f" {_safe(portion.note)}" if portion.note else ""
            out.append(f"{portion.marking} Cited: {portion.item_id}{note}")
    for c in p.comments:
        out.append(f"comment by {c.who} on {c.when.isoformat()}: {_safe(c.text)}")
    out.append("")
    if stored is not None:
        so = stored.signoff
        out += [f"SIGNED OFF by {so.signer} on {so.signed_at.isoformat()}",
                f"  signer key fingerprint {_fp(so.signer_public_key)}",
                f"  content hash {so.content_hash}", f"  audit head {so.audit_head}"]
        if stored.received_from:
            out.append(f"  imported; vouched by workstation {stored.received_from}")
    elif p.status == "approved":
        out.append("NO SIGN-OFF FOUND")
    else:
        out.append("not signed off")
    return [*out, "", banner]


def _fp(public_hex: str) -> str:
    from hstc_desk.store.products import fingerprint

    return fingerprint(bytes.fromhex(public_hex))


def cmd_show(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args, readonly=True) as store:
        p = P.get(store, args.product_id, args.version)
        stored = P.signoff_of(store, p.id, p.version)
    if args.json:
        print(json.dumps({
            "banner": p.banner(), "product": p.model_dump(mode="json"),
            "signoff": stored.signoff.model_dump(mode="json") if stored else None,
            "received_from": stored.received_from if stored else None,
        }, indent=2, sort_keys=True, ensure_ascii=False))
        return 0
    for line in _show_lines(p, stored):
        print(line)
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args) as store:
        p = P.submit(store, args.product_id)
    print(f"{p.id} version {p.version} submitted for review ({p.banner()})")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args) as store:
        p, so = P.approve(store, args.product_id)
    print(f"{p.id} version {p.version} approved and signed off by {so.signer}")
    print(f"banner {p.banner()}")
    print(f"content hash {so.content_hash}")
    print(f"signer key fingerprint {_fp(so.signer_public_key)}")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args) as store:
        p = P.return_product(store, args.product_id, args.comment)
    print(f"{p.id} version {p.version} returned to draft with a comment")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args, readonly=True) as store:
        verdict = P.verify_stored(store, args.product_id, args.version)
    if not verdict.ok:
        print(f"hstc: sign-off INVALID: {verdict.reason}", file=sys.stderr)
        return 1
    for line in verdict.lines:
        print(line)
    return 0
