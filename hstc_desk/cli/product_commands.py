"""``hstc product ...``: draft, review, approve (signed sign-off), verify (DESIGN §5, §7)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from hstc_desk.cli.credentials import UsageError
from hstc_desk.cli.product_args import add_portion_args, build_portions
from hstc_desk.cli.product_text import safe as _safe
from hstc_desk.cli.product_text import version_number
from hstc_desk.cli.store_commands import opened

_TYPES = ("intelligence_bulletin", "intelligence_report", "strategic_assessment",
          "target_assessment", "target_package", "referral")


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
    n.add_argument("--template", action="store_true",
                   help="start with the type's section headings, marked (U)")
    _content_args(n)
    n.set_defaults(func=cmd_new)
    e = psub.add_parser("edit", help="edit a draft in place, or start a new draft version of "
                        "an approved one")
    _store_arg(e)
    e.add_argument("product_id", metavar="ID")
    e.add_argument("--replace", action="store_true",
                   help="the portions given replace all portions (default: they are appended)")
    e.add_argument("--title")
    e.add_argument("--title-marking", metavar='"(S//NF)"')
    _content_args(e)
    e.set_defaults(func=cmd_edit)
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
    ret.add_argument("--comment", required=True, help="why it goes back (on the whole product)")
    ret.add_argument("--portion-comment", nargs=2, action="append", default=[],
                     metavar=("N", "TEXT"), help="a comment on portion N (1-based; repeatable)")
    ver = _id_cmd(psub, "verify", "verify the sign-off: exit 0 valid, 1 with the reason",
                  cmd_verify)
    ver.add_argument("--version", type=version_number)
    appr = psub.choices["approve"]
    appr.add_argument("--confirm-password-file", help="your password entered again for "
                      "signing (default: $HSTC_CONFIRM_PASSWORD or a prompt)")
    from hstc_desk.cli import product_review_commands

    product_review_commands.register(psub, _id_cmd, _store_arg)


def _content_args(p: argparse.ArgumentParser) -> None:
    add_portion_args(p)
    p.add_argument("--classified-by", help="who classified it (one line)")
    p.add_argument("--derived-from", help="the source of the classification (one line)")
    p.add_argument("--declassify-on", help='a date YYYYMMDD, an exemption with its date '
                   '("25X1, 20761231"), 50X1-HUM, 50X2-WMD, or a registered event')
    p.add_argument("--addressee", action="append", default=None, metavar="DEST",
                   help="a referral's addressee: a destination profile (repeatable)")
    p.add_argument("--recommended-action", help="a referral's recommended action")


def _authority(args: argparse.Namespace) -> Any:
    from hstc_desk.domain.products import Authority

    given = [args.classified_by, args.derived_from, args.declassify_on]
    if not any(given):
        return None
    if not all(given):
        raise UsageError("give --classified-by, --derived-from and --declassify-on together")
    return Authority(classified_by=args.classified_by, derived_from=args.derived_from,
                     declassify_on=args.declassify_on)


def cmd_new(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from hstc_desk.domain.errors import domain_error
    from hstc_desk.domain.product_templates import template_portions
    from hstc_desk.store import products as P

    try:
        authority = _authority(args)
    except ValidationError as exc:
        raise domain_error(exc, prefix="authority") from None
    if not args.parts and not args.template:
        raise UsageError("a product needs at least one --portion, --heading, --cite, --figure "
                         "or --template")
    with opened(args) as store:
        portions = [*(template_portions(args.ptype) if args.template else []),
                    *build_portions(store, args.parts)]
        p = P.create(store, product_type=args.ptype, title=args.title, portions=portions,
                     title_marking=args.title_marking, authority=authority,
                     addressees=_addressees(args.addressee),
                     recommended_action=args.recommended_action)
    print(p.id)
    _print_banners(p)
    return 0


def _addressees(given: list[str] | None) -> list[str] | None:
    return None if given is None else [a.strip().upper() for a in given]


def _print_banners(p: Any) -> None:
    print(f"banner {p.banner()}")
    for t in p.tearlines():
        print(f"tearline {t.destination} banner {t.banner()}")
    if p.leads_only:
        print("use restriction: leads only (cites leads-only information)")


def cmd_edit(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from hstc_desk.domain.errors import domain_error
    from hstc_desk.store import products as P

    try:
        authority = _authority(args)
    except ValidationError as exc:
        raise domain_error(exc, prefix="authority") from None
    if args.replace and not args.parts:
        raise UsageError("--replace needs the portions that replace the old ones")
    with opened(args) as store:
        before = P.get(store, args.product_id)
        given = build_portions(store, args.parts)
        portions = (given if args.replace else [*before.portions, *given]) if given else None
        p = P.edit(store, args.product_id, title=args.title, title_marking=args.title_marking,
                   portions=portions, authority=authority,
                   addressees=_addressees(args.addressee),
                   recommended_action=args.recommended_action)
    assert p is not None
    made = "a new draft version" if p.version != before.version else "the draft, in place"
    print(f"{p.id} version {p.version}: edited {made}")
    _print_banners(p)
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
    if p.product_type == "referral":
        out.append(f"Addressees: {', '.join(p.addressees or ())}")
        out.append(f"Recommended action: {_safe(p.recommended_action or '')}")
    if p.tearline_of is not None:
        out.append(f"Tearline version for {p.tearline_of.destination} of "
                   f"{p.tearline_of.product_id}")
    out.append("")
    sections = {t.index: t for t in p.tearlines()}
    for i, portion in enumerate(p.portions):
        out += _portion_lines(portion, sections.get(i))
    for c in p.comments:
        on = ""
        if c.anchor is not None:
            idx = p.index_of(c.anchor)
            on = f" on portion {idx + 1}" if idx is not None else " on a removed portion"
        out.append(f"comment by {c.who} on {c.when.isoformat()}{on}: {_safe(c.text)}")
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


def _portion_lines(portion: Any, section: Any) -> list[str]:
    if portion.type == "paragraph":
        return [f"{portion.marking} {_safe(portion.text)}"]
    if portion.type == "heading":
        return [f"{portion.marking} == {_safe(portion.text, one_line=True)} =="]
    if portion.type == "figure":
        items = portion.depicted()
        ref = f" [{', '.join(items[:5])}{', ...' if len(items) > 5 else ''}]" if items else ""
        return [f"{portion.marking} Figure ({portion.kind}): "
                f"{_safe(portion.caption, one_line=True)}{ref}"]
    if portion.type == "tearline":
        return ["", "-" * 30 + f" TEARLINE for {portion.destination} " + "-" * 30,
                section.banner() if section is not None else "",
                f"{portion.marking} {_safe(portion.title, one_line=True)}"]
    title = f" {_safe(portion.title, one_line=True)}" if portion.title else ""
    note = f" {_safe(portion.note)}" if portion.note else ""
    return [f"{portion.marking} Cited: {portion.item_id}{title}{note}"]


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
    from hstc_desk.cli.credentials import password
    from hstc_desk.store import products as P

    try:
        again = password(args.confirm_password_file, env="HSTC_CONFIRM_PASSWORD",
                         prompt="Enter your password again to sign: ")
    except UsageError:
        again = ""  # refused by the store, after its other checks, naming what is missing
    with opened(args) as store:
        p, so = P.approve(store, args.product_id, password=again)
    print(f"{p.id} version {p.version} approved and signed off by {so.signer}")
    print(f"banner {p.banner()}")
    print(f"content hash {so.content_hash}")
    print(f"signer key fingerprint {_fp(so.signer_public_key)}")
    for t in p.tearlines():
        print(f"tearline {t.destination} signed: banner {t.banner()}")
    return 0


def cmd_return(args: argparse.Namespace) -> int:
    from hstc_desk.store import products as P

    with opened(args) as store:
        current = P.get(store, args.product_id)
        anchored = []
        for number, text in args.portion_comment:
            if not re.fullmatch(r"[0-9]{1,5}", number) or not 1 <= int(number) <= len(
                    current.portions):
                raise UsageError(f"--portion-comment: {number[:20]!r} is not a portion number "
                                 f"of {current.id} (1 to {len(current.portions)})")
            anchored.append((current.portions[int(number) - 1].pid, text))
        if any(pid is None for pid, _ in anchored):
            raise UsageError("that portion has no portion id; edit the draft once to give its "
                             "portions ids")
        p = P.return_product(store, args.product_id, args.comment, anchored=anchored)
    extra = f" and {len(anchored)} on portions" if anchored else ""
    print(f"{p.id} version {p.version} returned to draft with a comment{extra}")
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
