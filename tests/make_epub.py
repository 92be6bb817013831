#!/usr/bin/env python3
"""Writes a text story as an EPUB 3, the way an ebook shop would ship it, for benchmarks and
for measuring attribution on EPUB input against the same text.

    python3 tests/make_epub.py STORY.txt OUT.epub [--lines] [--map MAP.json]
    python3 tests/make_epub.py --remap MAP.json < epub.jsonl > as-text.jsonl

The book: a cover page, a copyright page and a navigation document, then the story, one
content document per chapter ("CHAPTER I.", "Chapter 3", "PART TWO" ... open a chapter, as
their <h2>), `_italics_` as <i>. Paragraphs are blocks between blank lines, their lines joined
(Project Gutenberg's hard-wrapped text), or with --lines one paragraph per line (fan fiction).

--map writes where each paragraph came from: {document: {block: [text, [[offset, line], ...]]}},
the paragraph's text and the offset in it at which each of its lines begins. --remap turns the
`troupe script --format jsonl` records of the EPUB back into records whose `line` is the
line of the text file (for ../shared/eval/score.py): the line holding the record's words.
Scoring a PDNC novel as an EPUB:

    python3 tests/make_epub.py $PDNC/Emma.txt emma.epub --map emma.map
    build/troupe script emma.epub --format jsonl | python3 tests/make_epub.py --remap emma.map > emma.jsonl
    python3 ../shared/eval/score.py $PDNC/Emma.tsv emma.jsonl
"""
import html
import json
import re
import sys
import zipfile

HEADING = re.compile(
    r"^(CHAPTER|Chapter|PART|Part|BOOK|Book|VOLUME|Volume)\s+([0-9]+|[IVXLCivxlc]+|[A-Za-z]+)\b"
    r"|^(PROLOGUE|Prologue|EPILOGUE|Epilogue)\b")
ITALICS = re.compile(r"(?<![\w])_([^_\n]+?)_(?![\w])")


def paragraphs(lines, per_line):
    """[(text, [(offset, line)])], the text as troupe joins it."""
    out, current = [], None
    for number, line in enumerate(lines, 1):
        t = line.strip()
        if not t:
            current = None
            continue
        if current is None or per_line:
            current = [t, [(0, number)]]
            out.append(current)
        else:
            current[1].append((len(current[0]) + 1, number))
            current[0] += " " + t
    return out


def chapters(paras):
    """[(heading or None, [paragraph])]"""
    out = [(None, [])]
    for p in paras:
        if HEADING.match(p[0]) and len(p[0]) < 200:
            out.append((p, []))
        else:
            out[-1][1].append(p)
    return [c for c in out if c[0] is not None or c[1]]


def inline(text):
    return ITALICS.sub(lambda m: "<i>" + m.group(1) + "</i>", html.escape(text, quote=False))


def xhtml(title, body, body_type=""):
    kind = f' epub:type="{body_type}"' if body_type else ""
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:epub="http://www.idpf.org/2007/ops">\n<head><title>{html.escape(title)}</title></head>\n'
            f"<body{kind}>\n{body}\n</body>\n</html>\n")


def make(text_path, epub_path, per_line, map_path):
    text = open(text_path, encoding="utf-8-sig").read()
    title = re.sub(r"\.[^.]*$", "", text_path.split("/")[-1])
    docs, where = [], {}
    for number, (heading, paras) in enumerate(chapters(paragraphs(text.splitlines(), per_line)), 1):
        name = f"text{number:03}.xhtml"
        blocks, body = {}, []
        if heading is not None:
            body.append("<h2>" + inline(heading[0]) + "</h2>")
            blocks[1] = heading
        for p in paras:
            body.append("<p>" + inline(p[0]) + "</p>")
            blocks[len(body)] = p
        where["OEBPS/" + name] = blocks
        docs.append((name, heading[0] if heading else title, xhtml(title, "\n".join(body), "bodymatter chapter")))
    nav = "".join(f'<li><a href="{n}">{html.escape(t)}</a></li>\n' for n, t, _ in docs)
    files = [("cover.xhtml", xhtml("Cover", '<div><img src="cover.png" alt="cover"/></div>', "cover")),
             ("copyright.xhtml", xhtml("Copyright", "<p>Copyright © the author. All rights reserved.</p>")),
             ("nav.xhtml", xhtml("Contents", f'<nav epub:type="toc"><h1>Contents</h1><ol>\n{nav}</ol></nav>'))]
    files += [(n, c) for n, _, c in docs]
    nav_property = ' properties="nav"'
    manifest = "".join(
        f'<item id="d{i}" href="{n}" media-type="application/xhtml+xml"'
        f'{nav_property if n == "nav.xhtml" else ""}/>\n' for i, (n, _) in enumerate(files))
    spine = "".join(f'<itemref idref="d{i}"/>\n' for i in range(len(files)))
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f'<dc:identifier id="id">urn:troupe:{html.escape(title)}</dc:identifier><dc:title>{html.escape(title)}'
           '</dc:title><dc:language>en</dc:language></metadata>\n'
           f"<manifest>\n{manifest}</manifest>\n<spine>\n{spine}</spine>\n</package>\n")
    with zipfile.ZipFile(epub_path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                   '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                   "</rootfiles></container>", zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        for name, content in files:
            z.writestr("OEBPS/" + name, content, zipfile.ZIP_DEFLATED)
    if map_path:
        with open(map_path, "w", encoding="utf-8") as f:
            json.dump(where, f)


def remap(map_path):
    where = json.load(open(map_path, encoding="utf-8"))
    cursor = {}  # (source, block) -> where the next record's words are looked for
    for line in sys.stdin:
        r = json.loads(line)
        block = where.get(r.get("source", ""), {}).get(str(r["line"]))
        if block is None:
            continue
        text, starts = block
        key = (r["source"], r["line"])
        at = text.find(r["text"][:40], cursor.get(key, 0)) if r["text"] else -1
        at = cursor.get(key, 0) if at < 0 else at
        cursor[key] = at + max(1, len(r["text"]))
        r["line"] = starts[0][1]
        for offset, number in starts:
            if offset <= at:
                r["line"] = number
        del r["source"]
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--remap":
        remap(args[1])
    elif len(args) >= 2:
        make(args[0], args[1], "--lines" in args,
             args[args.index("--map") + 1] if "--map" in args else None)
    else:
        sys.exit(__doc__)
