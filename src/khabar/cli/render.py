"""The readable terminal view of a Doc (Rich): repaired text with repairs marked, sentences, quotations.

Every piece of the article (and of its metadata) goes through :func:`khabar.cli.common.printable`
before it reaches the terminal, and what is put inside Rich markup is escaped: a text carrying ESC
sequences, bidi overrides or ``[bold]`` shows them, never obeys them.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from khabar.cli.common import printable
from khabar.doc import Doc

_RULE_STYLE = {
    "glued_words": "black on green",
    "space_after_punct": "black on cyan",
    "quote_space": "black on cyan",
    "quote_direction": "black on yellow",
}


def repaired_with_marks(doc: Doc) -> Text:
    """The repaired text, each repaired stretch highlighted (an inserted space shows as ␣)."""
    out = Text()
    pos = 0
    for edit in doc.edits:
        out.append(printable(doc.text[pos : edit.start]))
        shown = edit.replacement.replace(" ", "\u2423") if edit.replacement.strip() == "" else edit.replacement
        if not shown:
            shown = "\u2326"  # something was deleted here
        out.append(printable(shown), style=_RULE_STYLE.get(edit.rule, "black on magenta"))
        pos = edit.end
    out.append(printable(doc.text[pos:]))
    return out


_LABEL_STYLE = {"PERS": "bold blue", "LOC": "bold green", "ORG": "bold magenta", "MISC": "bold yellow"}


def text_with_entities(doc: Doc) -> Text:
    """The original text with entity mentions coloured by type and tagged with their referent."""
    out = Text()
    pos = 0
    for ent in doc["entities"]:
        if ent.start < pos:
            continue
        out.append(printable(doc.text[pos : ent.start]))
        out.append(printable(doc.span_text(ent)), style=_LABEL_STYLE.get(ent.label, "bold"))
        out.append(f"[{ent.label}#{ent.attrs.get('referent', '?')}]", style="dim")
        pos = ent.end
    out.append(printable(doc.text[pos:]))
    return out


def _plain(text: str) -> Text:
    """A table cell or panel of article text: shown as written (no markup read), controls made visible."""
    return Text(printable(text))


def quotes_table(doc: Doc, console: Console | None = None) -> None:
    """The quotations of ``doc`` as a table: speaker, kind, cue, content."""
    console = console or Console(highlight=False)
    table = Table(title="quotations", expand=True)
    for col in ("#", "speaker", "kind", "cue", "content"):
        table.add_column(col)
    for i, q in enumerate(doc["quotes"], 1):
        speaker = q.attrs.get("speaker") or {}
        cue = q.attrs.get("cue") or {}
        who = speaker.get("text", "?") + (" (implicit)" if speaker.get("implicit") else "")
        kind = str(q.attrs.get("kind", ""))
        said = f"«{doc.span_text(q)}»" if kind == "direct" else doc.span_text(q)  # indirect words are not verbatim
        table.add_row(str(i), _plain(who), kind, _plain(cue.get("text", "—")), _plain(said))
    console.print(table)


def render_doc(doc: Doc, console: Console | None = None) -> None:
    """Print ``doc`` for a person: header, repaired text, repairs by rule, sentences, quotations."""
    console = console or Console(highlight=False)
    title = doc.meta.get("title") or doc.meta.get("id") or "article"
    counts: dict[str, int] = {}
    for edit in doc.edits:
        counts[edit.rule] = counts.get(edit.rule, 0) + 1
    summary = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) or "none"
    console.rule(f"[bold]{escape(printable(str(title)))}")
    console.print(
        f"{len(doc['paragraphs'])} paragraphs, {len(doc['sentences'])} sentences, "
        f"{len(doc['tokens'])} tokens, {len(doc['words'])} words; repairs: {summary}"
    )
    console.print(Panel(repaired_with_marks(doc), title="repaired text (repairs highlighted)"))
    if doc["sentences"]:
        table = Table(title="sentences", show_lines=False, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("span", no_wrap=True)
        table.add_column("sentence")
        for i, s in enumerate(doc["sentences"], 1):
            table.add_row(str(i), f"{s.start}-{s.end}", _plain(doc.span_text(s)))
        console.print(table)
    if "entities" in doc.layers:
        console.print(Panel(text_with_entities(doc), title="entities (PERS blue, LOC green, ORG magenta, MISC yellow)"))
    referents = doc.values.get("referents", [])
    if referents:
        table = Table(title="referents", expand=True)
        for col in ("#", "label", "name", "mentions", "descriptions"):
            table.add_column(col)
        for ref in referents:
            table.add_row(
                str(ref["id"]),
                ref["label"],
                _plain(ref["name"]),
                str(len(ref["mentions"])),
                _plain(" / ".join(d["text"] for d in ref["descriptions"])),
            )
        console.print(table)
    if doc["quotes"]:
        quotes_table(doc, console)
    if doc["summary"]:
        summary_text = _plain("\n".join(doc.span_text(span) for span in doc["summary"]))
        console.print(Panel(summary_text, title="summary"))
    if doc["keywords"]:
        keys = "، ".join(
            f"{k.attrs.get('form') or doc.span_text(k)} ({k.attrs.get('score', 0):.2f})" for k in doc["keywords"]
        )
        console.print(f"[bold]keywords:[/bold] {escape(printable(keys))}")
    if "topic" in doc.values:
        ranked = sorted(doc.values.get("categories", {}).items(), key=lambda kv: -kv[1])[:3]
        scores = ", ".join(f"{label} {p:.2f}" for label, p in ranked)
        console.print(f"[bold]topic:[/bold] {escape(printable(str(doc.values['topic'])))} ({escape(scores)})")
    pairs = doc["quote_pairs"]
    if pairs:
        table = Table(title="quotation marks paired", expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("marks", no_wrap=True)
        table.add_column("quoted text")
        for i, q in enumerate(pairs, 1):
            o, c = q.attrs.get("open"), q.attrs.get("close")
            marks = f"{doc.text[o[0]] if o else '∅'} {o[0] if o else '-'} … {doc.text[c[0]] if c else '∅'} {c[0] if c else '-'}"
            table.add_row(str(i), _plain(marks), _plain(doc.span_text(q)))
        console.print(table)
