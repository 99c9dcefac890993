"""Write the encyclopedia suite's two knowledge packs (ZIM files, full-text index on).

    python evals/encyclopedia/make_packs.py OUT_DIR
    eclair knowledge add OUT_DIR/encyclo_en.zim && eclair knowledge add OUT_DIR/encyclo_fr.zim

``articles-en.jsonl`` and ``articles-fr.jsonl`` hold short encyclopedia articles written for
the suite (one JSON object per line: ``path``, ``title``, ``lead``, ``sections`` of
``{heading, text}``, ``links``): non-European countries, planets, elements, English-language
writers and scientists in English; European countries, French writers, painters, monuments
and composers in French; six topics in both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eclair.knowledge.packs.writer import Article, write_pack

HERE = Path(__file__).parent
PACKS = {
    "en": ("encyclo_en", "Éclair test encyclopedia (English)"),
    "fr": ("encyclo_fr", "Encyclopédie de test d'Éclair (français)"),
}


def articles(lang: str) -> list[Article]:
    rows = [
        json.loads(line)
        for line in (HERE / f"articles-{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [
        Article(
            path=row["path"],
            title=row["title"],
            lead=row["lead"],
            sections=tuple((s["heading"], s["text"]) for s in row.get("sections", [])),
            links=tuple(row.get("links", [])),
        )
        for row in rows
    ]


def make_packs(out: Path) -> dict[str, Path]:
    written = {}
    for lang, (name, title) in PACKS.items():
        if (HERE / f"articles-{lang}.jsonl").exists():
            written[lang] = write_pack(
                out / f"{name}.zim", articles(lang), name=name, title=title, language=lang
            )
    return written


if __name__ == "__main__":
    for path in make_packs(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).values():
        print(path)
