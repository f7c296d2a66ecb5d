# Copyright 2026 Progress Billing Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

"""The Apps page of the addon (static/description/index.html) built from its readme fragments (readme/*.md), laid
out as OCA's generated index.html: title, description, table of contents, configuration, usage, roadmap, changelog,
credits. Plain Python, no database and no Markdown package: the fragments use a small part of Markdown (headings,
paragraphs, bullet lists whose items may hold indented paragraphs and tables, tables, fenced code, images, links,
bold, italic, inline code), which ``markdown_to_html`` renders. ``readme_rst`` writes the addon's README.rst (the
description, and where the rest is), which OCA's checks require. ``scripts/update_index_html.py`` writes both
files; a test requires them to be what the fragments give."""

import html
import re

# the sections of the page after the description, in OCA's order: (fragment, title)
SECTIONS = (
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
)
# the table of contents lists the page's sections (h2) and their first level of headings (h3)
TOC_DEPTH = 3
# fragments link images as ../static/description/<file>; the page sits beside them, and Odoo's Apps page turns
# a bare file name into /<addon>/static/description/<file>
FRAGMENT_IMAGE_DIR = "../static/description/"

STYLE = """
body { font-family: sans-serif; line-height: 1.45; max-width: 1100px; margin: 0 auto; padding: 1em; color: #222; }
h1.title { text-align: center; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
td.num, th.num { text-align: right; }
code, pre { background: #f4f4f4; }
pre { padding: 0.6em; overflow: auto; }
img { max-width: 100%; border: 1px solid #ddd; }
.contents ul { margin: 0.1em 0; }
"""

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_CODE = re.compile(r"`([^`]+)`")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^- ")
NUMBER_CLASS = ' class="num"'
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def slug(text, taken):
    """An id for a heading: its words, lower case, joined by dashes; numbered when already taken."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def image_src(src):
    return src[len(FRAGMENT_IMAGE_DIR):] if src.startswith(FRAGMENT_IMAGE_DIR) else src


def inline(text):
    """Inline Markdown of one block of text: code spans first (their content is literal), then escapes, images,
    links, bold and italic; everything else is escaped HTML."""
    codes = []

    def keep_code(match):
        codes.append(f"<code>{html.escape(match.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    literals = []

    def keep_literal(match):
        literals.append(html.escape(match.group(1), quote=False))
        return f"\x01{len(literals) - 1}\x01"

    text = html.escape(_ESCAPED.sub(keep_literal, text), quote=False)
    text = _IMAGE.sub(lambda m: f'<img alt="{m.group(1)}" src="{image_src(m.group(2))}"/>', text)
    text = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    text = re.sub("\x01(\\d+)\x01", lambda m: literals[int(m.group(1))], text)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)


def _cells(row):
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _table(lines):
    header, rule, *rows = lines
    right = [cell.endswith(":") for cell in _cells(rule)]

    def row_html(cells, tag):
        return "<tr>" + "".join(
            f"<{tag}{NUMBER_CLASS if index < len(right) and right[index] else ''}>{inline(cell)}</{tag}>"
            for index, cell in enumerate(cells)
        ) + "</tr>"

    body = "\n".join(row_html(_cells(row), "td") for row in rows)
    return f"<table>\n<thead>{row_html(_cells(header), 'th')}</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _is_table(lines, index):
    return lines[index].lstrip().startswith("|") and index + 1 < len(lines) \
        and bool(_TABLE_RULE.match(lines[index + 1].strip()))


def _starts_block(lines, index):
    line = lines[index]
    return bool(_HEADING.match(line) or _BULLET.match(line) or line.startswith("```") or _is_table(lines, index))


def _blocks(lines, headings, level_offset):
    """HTML of a list of lines; ``headings`` collects (level, id, text) of the headings met."""
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            level = min(len(heading.group(1)) + level_offset, 6)
            text = heading.group(2)
            anchor = slug(text, headings["ids"])
            headings["list"].append((level, anchor, text))
            out.append(f'<h{level} id="{anchor}">{inline(text)}</h{level}>')
            index += 1
        elif line.startswith("```"):
            end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), len(lines))
            code = "\n".join(lines[index + 1:end])
            out.append(f"<pre>{html.escape(code, quote=False)}</pre>")
            index = end + 1
        elif _is_table(lines, index):
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            out.append(_table(lines[index:end]))
            index = end
        elif _BULLET.match(line):
            items = []
            while index < len(lines) and _BULLET.match(lines[index]):
                item = [lines[index][2:]]
                index += 1
                # the item goes on while its lines are indented, blank lines included when more indented lines follow
                while index < len(lines):
                    if lines[index].startswith("  "):
                        item.append(lines[index][2:])
                        index += 1
                    elif not lines[index].strip() and index + 1 < len(lines) and lines[index + 1].startswith("  "):
                        item.append("")
                        index += 1
                    else:
                        break
                items.append(item)
                while index < len(lines) and not lines[index].strip() and index + 1 < len(lines) \
                        and _BULLET.match(lines[index + 1]):
                    index += 1
            rendered = []
            for item in items:
                inner = _blocks(item, headings, level_offset)
                # a one-paragraph item is written without its <p>, as Markdown renders a tight list
                if inner.count("<p>") == 1 and inner.startswith("<p>") and inner.endswith("</p>"):
                    inner = inner[3:-4]
                rendered.append(f"<li>{inner}</li>")
            out.append("<ul>\n" + "\n".join(rendered) + "\n</ul>")
        else:
            paragraph = [line.strip()]
            index += 1
            while index < len(lines) and lines[index].strip() and not _starts_block(lines, index):
                paragraph.append(lines[index].strip())
                index += 1
            out.append(f"<p>{inline(chr(10).join(paragraph))}</p>")
    return "\n".join(out)


def markdown_to_html(text, headings=None, level_offset=0):
    """HTML of a readme fragment; its headings are moved ``level_offset`` levels down."""
    headings = headings if headings is not None else {"ids": set(), "list": []}
    return _blocks(text.splitlines(), headings, level_offset)


def _table_of_contents(entries):
    """Nested lists of links to the headings ``entries`` ((level, id, text), in page order)."""
    out, depth = [], 0
    entries = [entry for entry in entries if entry[0] <= TOC_DEPTH]
    top = min(level for level, _anchor, _text in entries)
    for level, anchor, text in entries:
        target = level - top + 1
        while depth < target:
            out.append("<ul>")
            depth += 1
        while depth > target:
            out.append("</li></ul>")
            depth -= 1
        if out[-1] != "<ul>":
            out.append("</li>")
        out.append(f'<li><a href="#{anchor}">{inline(text)}</a>')
    while depth:
        out.append("</li></ul>")
        depth -= 1
    return "\n".join(out)


def index_html(fragments, manifest):
    """The whole page from ``fragments`` ({file name: Markdown}) and the addon's manifest (name, author,
    maintainers)."""
    headings = {"ids": {"contents"}, "list": []}
    description = markdown_to_html(fragments.get("DESCRIPTION.md", ""), headings, level_offset=2)
    sections = []
    for fragment, title in SECTIONS:
        if not fragments.get(fragment, "").strip():
            continue
        anchor = slug(title, headings["ids"])
        headings["list"].append((2, anchor, title))
        body = markdown_to_html(fragments[fragment], headings, level_offset=1)
        sections.append(f'<h2 id="{anchor}">{html.escape(title)}</h2>\n{body}')
    credits_anchor = slug("Credits", headings["ids"])
    headings["list"].append((2, credits_anchor, "Credits"))
    credit_sections = [f'<h2 id="{credits_anchor}">Credits</h2>']
    for title, content in (
        ("Authors", "<ul>\n" + "".join(
            f"<li>{html.escape(author.strip())}</li>\n" for author in manifest.get("author", "").split(",")
        ) + "</ul>"),
        ("Contributors", markdown_to_html(fragments.get("CONTRIBUTORS.md", ""))),
        ("Maintainers", "<ul>\n" + "".join(
            f"<li>{html.escape(maintainer)}</li>\n" for maintainer in manifest.get("maintainers", ())
        ) + "</ul>" if manifest.get("maintainers") else ""),
    ):
        if content:
            anchor = slug(title, headings["ids"])
            headings["list"].append((3, anchor, title))
            credit_sections.append(f'<h3 id="{anchor}">{title}</h3>\n{content}')
    sections.append("\n".join(credit_sections))
    name = html.escape(manifest["name"])
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>\n"
        f"<title>{name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<div class=\"document\">\n"
        f"<h1 class=\"title\">{name}</h1>\n{description}\n"
        "<p><strong>Table of contents</strong></p>\n"
        f"<div class=\"contents local topic\" id=\"contents\">\n{_table_of_contents(headings['list'])}\n</div>\n"
        + "\n".join(sections)
        + "\n</div>\n</body>\n</html>\n"
    )



def readme_rst(fragments, manifest):
    """The addon's README.rst, as OCA generates it from the fragments: the title and the description (its Markdown
    images and inline code in reStructuredText), then where each section of the documentation is: the fragments
    themselves and the Apps page, which show them whole."""
    description = fragments.get("DESCRIPTION.md", "").strip()
    description = re.sub(r"!\[([^\]]*)\]\(" + re.escape(FRAGMENT_IMAGE_DIR) + r"([^)]+)\)",
                         r".. image:: static/description/\2\n   :alt: \1", description)
    description = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", description)
    title = manifest["name"]
    sections = [f"- {section}: ``readme/{fragment}``" for fragment, section in SECTIONS
                if fragments.get(fragment, "").strip()]
    authors = "\n".join(f"- {author.strip()}" for author in manifest["author"].split(","))
    return (
        f"{'=' * len(title)}\n{title}\n{'=' * len(title)}\n\n{description}\n\n"
        "Documentation\n=============\n\n"
        "The documentation ships with the addon, in Markdown, and is shown whole on its page in Apps\n"
        "(``static/description/index.html``):\n\n" + "\n".join(sections) + "\n\n"
        f"Credits\n=======\n\nAuthors\n-------\n\n{authors}\n"
    )
