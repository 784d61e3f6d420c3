"""Report sections: one module each, one class per section.

A section has a name (what the notebook calls), a title and an introduction (the notebook's
heading and text, generated from the plans), the values and annexes it reads (`lit`,
`annexes`: the context refuses anything else, and the build fingerprints pages from them), and
`blocs(ctx)`, which returns plain blocks. The kinds of report it belongs to are the plans that
list it (`plans.PLANS`). Adding a section is one module here and one line in each plan.
"""

from __future__ import annotations

from typing import ClassVar

from evaluation.rapport.blocs import Bloc
from evaluation.rapport.vue import Lit


class Section:
    nom: ClassVar[str]
    titre: ClassVar[str | None] = None  # None: shown without a heading (the page's header)
    intro: ClassVar[str] = ""
    lit: ClassVar[tuple[Lit, ...]] = ()
    annexes: ClassVar[tuple[str, ...]] = ()

    def blocs(self, ctx) -> list[Bloc]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<section {self.nom}>"
