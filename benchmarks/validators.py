"""Validate medieninfo's PDFs and Typst's PDF/UA-1 + PDF/A-2u PDFs of the same releases.

    .venv/bin/python benchmarks/validators.py examples/eu-mission.yaml [more.yaml ...]
    .venv/bin/python benchmarks/validators.py --features   # also the test suite's releases

For each release it writes ``NAME.medieninfo.pdf`` (``medieninfo render``) and
``NAME.typst.pdf`` (the ``typst`` PyPI binding, ``pdf_standards=["ua-1", "a-2u"]``, from a
Typst document with the same text, headings, lists and links) into ``--out`` and prints,
per validator, what each PDF gets: page-validation's ``2u`` and ``ua1`` profiles (failed
rules), outloud (findings by rule and severity), poppler's ``pdfinfo -struct-text``
(messages on standard error). Needs the ``test`` extra and ``typst``
(``benchmarks/requirements.txt``); the README's table comes from this script.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _escape(text: str) -> str:
    """Typst markup for plain text: every markup character escaped."""
    return "".join("\\" + c if c in "\\#*_`$<>@[]~=-+/\"'" else c for c in text)


def _spans(spans: tuple) -> str:  # type: ignore[type-arg]
    out = []
    for span in spans:
        if span.text == "\n":
            out.append(" \\\n")
            continue
        text = f"[{_escape(span.text)}]"
        if span.sub:
            text = f"#sub{text}"
        elif span.sup:
            text = f"#super{text}"
        if span.italic:
            text = f"#emph{text}" if text.startswith("[") else f"#emph[{text}]"
        if span.bold:
            text = f"#strong{text}" if text.startswith("[") else f"#strong[{text}]"
        if span.link:
            url = span.link.replace("\\", "\\\\").replace('"', '\\"')
            text = f'#link("{url}")[{text if not text.startswith("[") else text[1:-1]}]'
        elif text.startswith("["):
            text = text[1:-1]
        out.append(text)
    return "".join(out)


def _blocks(blocks: list, level: int = 0) -> list[str]:  # type: ignore[type-arg]
    from medieninfo.model.content import Heading, ListBlock, Paragraph

    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(_spans(block.spans) + ("\n" if block.continues else "\n\n"))
        elif isinstance(block, Heading):
            out.append("=" * block.level + " " + _spans(block.spans) + "\n\n")
        elif isinstance(block, ListBlock):
            items = ", ".join(
                "[" + "".join(_blocks(list(item), level + 1)) + "]" for item in block.items
            )
            kind = f"enum.with(start: {block.start})" if block.ordered else "list"
            out.append(f"#{kind}({items})\n\n")
    return out


def typst_document(release_path: Path) -> str:
    """A Typst document of the release: the same refined text, sidebar on page 1."""
    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, prepare

    release = load_release(release_path)
    letterhead = letterhead_for(release)
    prepared = prepare(release, letterhead)
    r = prepared.release
    sidebar = " \\\n".join(
        f'#link("{line.link}")[{_escape(line.text)}]' if line.link else _escape(line.text)
        for line in letterhead.sidebar
    )
    lang = r.lang.split("-")[0]
    lines = [
        f'#set document(title: "{r.headline}", author: "{letterhead.organisation}")',
        '#set page(paper: "a4", margin: (left: 25mm, right: 62mm, top: 30mm, bottom: 25mm))',
        f'#set text(lang: "{lang}", size: 10.5pt, hyphenate: true)',
        "#show heading.where(level: 1): set text(size: 15pt)",
        "#place(top + right, dx: 55mm, block(width: 48mm, text(size: 7.5pt)["
        f"*{_escape(letterhead.organisation)}* \\\n{_escape(letterhead.title)} \\\n{sidebar}]))",
        f"{r.date.day}.{r.date.month}.{r.date.year}\n",
    ]
    if r.number is not None:
        lines.append(f"{r.number}\\.\n")  # "753." alone would be Typst's numbered list
    if r.embargo is not None:
        e = r.embargo
        lines.append(f"*Sperrfrist: {e.day}.{e.month}.{e.year}, {e.hour}:{e.minute:02d} Uhr*\n")
    lines.append(f"= {_escape(r.headline)}\n")
    if r.subtitle:
        lines.append(f"#strong[#emph[{_escape(r.subtitle)}]]\n")
    lines += _blocks(prepared.blocks)
    if r.contact:
        lines.append(f"Kontakt: {_escape(r.contact)}\n")
    return "\n".join(lines)


def page_validation(pdf: Path, profile: str) -> str:
    import page

    report = page.validate_pdf(str(pdf), profile=profile)
    rules = sorted({f.rule_id for f in report.failures})
    return (
        "pass" if report.is_compliant else f"{len(report.failures)} failures: " + ", ".join(rules)
    )


def outloud(pdf: Path) -> str:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("outloud")), "--json", "-", str(pdf)],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)["results"][0]
    findings = [f"{f['rule']} ({f['severity']})" for f in report["findings"]]
    return report["verdict"] + (": " + ", ".join(findings) if findings else ", no findings")


def poppler(pdf: Path) -> str:
    result = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
    )
    errors = sorted({line for line in result.stderr.splitlines() if line.strip()})
    return "no messages" if not errors else f"{len(errors)} messages: " + "; ".join(errors[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("releases", nargs="*", type=Path)
    parser.add_argument("--features", action="store_true", help="the test suite's releases too")
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="validators-")))
    args = parser.parse_args()
    import typst

    args.out.mkdir(parents=True, exist_ok=True)
    releases = list(args.releases)
    if args.features:
        sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "pdf")]
        from test_validators import MUSTERSTADT, _feature_release

        for name, head in (("features-dortmund", None), ("features-musterstadt", MUSTERSTADT)):
            path = args.out / f"{name}.yaml"
            path.write_text(_feature_release(str(head) if head else None), encoding="utf-8")
            releases.append(path)
    for release in releases:
        name = release.stem if release.stem != "release" else release.parent.name
        ours = args.out / f"{name}.medieninfo.pdf"
        subprocess.run(
            [
                str(Path(sys.executable).with_name("medieninfo")),
                "render",
                str(release),
                "-o",
                str(ours),
            ],
            check=True,
            capture_output=True,
        )
        source = args.out / f"{name}.typ"
        source.write_text(typst_document(release), encoding="utf-8")
        theirs = args.out / f"{name}.typst.pdf"
        typst.compile(str(source), output=str(theirs), pdf_standards=["ua-1", "a-2u"])
        for label, pdf in (("medieninfo", ours), ("typst", theirs)):
            print(f"{name} / {label}")
            print(f"  page-validation 2u:  {page_validation(pdf, '2u')}")
            print(f"  page-validation ua1: {page_validation(pdf, 'ua1')}")
            print(f"  outloud:             {outloud(pdf)}")
            print(f"  poppler:             {poppler(pdf)}")


if __name__ == "__main__":
    main()
