"""One chart definition, drawn as SVG for pages and PDFs alike, with its data as a table for accessibility."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.cache import cache

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _pyplot() -> Any:
    """matplotlib, imported when a chart is first drawn: most drawings come from the cache, and the
    import alone costs most of a second at every process start (every command, every web worker)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# GOV.UK colour palette: blue, orange, green, purple, red, turquoise, pink, brown.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#d53880", "#b58840"]


@dataclass
class Series:
    name: str
    values: list[float | Decimal | int | None]


@dataclass
class Chart:
    title: str
    labels: list[str]
    series: list[Series]
    kind: Literal["line", "bar", "stacked_bar", "horizontal_bar"] = "line"
    y_label: str = ""
    value_format: str = "{:,.0f}"
    reference_line: float | None = None  # e.g. a target
    reference_label: str = ""
    height_inches: float = 3.2
    notes: list[str] = field(default_factory=list)
    colors: list[str] | None = None  # one per series, where colours carry meaning (e.g. RAG); else PALETTE

    def table_rows(self) -> list[tuple[str, list[str]]]:
        return [
            (
                label,
                ["" if s.values[i] is None else self.value_format.format(s.values[i]) for s in self.series],
            )
            for i, label in enumerate(self.labels)
        ]

    def color(self, index: int) -> str:
        if self.colors and index < len(self.colors):
            return self.colors[index]
        return PALETTE[index % len(PALETTE)]

    def to_svg(self, id_prefix: str = "") -> str:
        """The chart as inline SVG; `id_prefix` keeps its element ids apart from other charts' on one page.

        Drawing with matplotlib costs a good part of a second, and the same figures give the same
        picture, so drawings are cached under a hash of the whole definition.
        """
        key = "chart-svg:" + hashlib.sha256(repr((self, id_prefix)).encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = self._draw_svg(id_prefix)
            cache.set(key, svg, timeout=7 * 24 * 3600)
        return svg

    def to_png(self, dpi: int = 150) -> bytes:
        """The same drawing as a PNG image, for documents that cannot hold SVG (Word)."""
        fig = self._draw()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
        _pyplot().close(fig)
        return out.getvalue()

    def _draw_svg(self, id_prefix: str) -> str:
        plt = _pyplot()
        plt.rcParams["svg.hashsalt"] = "onesource"  # stable ids: the same data gives the same SVG
        plt.rcParams["svg.fonttype"] = "none"  # text as text: smaller, selectable, quicker in PDFs
        fig = self._draw()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
        svg = out.getvalue()
        svg = svg[svg.index("<svg") :]
        if id_prefix:
            # matplotlib numbers ids from 1 in every figure: two charts on one page would share them.
            svg = re.sub(r'(id="|url\(#|href="#)', lambda m: f"{m.group(1)}{id_prefix}-", svg)
        return svg

    def _draw(self) -> Figure:
        plt = _pyplot()
        plt.rcParams["font.family"] = ["Liberation Sans", "DejaVu Sans", "sans-serif"]
        fig, ax = plt.subplots(figsize=(8, self.height_inches), dpi=100)
        positions = list(range(len(self.labels)))
        values = [[float(v) if v is not None else float("nan") for v in s.values] for s in self.series]
        if self.kind == "line":
            for i, (s, v) in enumerate(zip(self.series, values, strict=True)):
                ax.plot(
                    positions,
                    v,
                    label=s.name,
                    color=self.color(i),
                    linewidth=2,
                    marker="o",
                    markersize=3,
                )
        elif self.kind in {"bar", "stacked_bar"}:
            width = 0.8 if self.kind == "stacked_bar" else 0.8 / max(len(values), 1)
            bottom = [0.0] * len(positions)
            for i, (s, v) in enumerate(zip(self.series, values, strict=True)):
                clean = [0.0 if x != x else x for x in v]
                if self.kind == "stacked_bar":
                    ax.bar(positions, clean, width, bottom=bottom, label=s.name, color=self.color(i))
                    bottom = [b + c for b, c in zip(bottom, clean, strict=True)]
                else:
                    offset = [p - 0.4 + width * (i + 0.5) for p in positions]
                    ax.bar(offset, clean, width, label=s.name, color=self.color(i))
        else:
            height = 0.8 / max(len(values), 1)
            for i, (s, v) in enumerate(zip(self.series, values, strict=True)):
                offset = [p - 0.4 + height * (i + 0.5) for p in positions]
                ax.barh(
                    offset,
                    [0.0 if x != x else x for x in v],
                    height,
                    label=s.name,
                    color=self.color(i),
                )
            ax.set_yticks(positions, self.labels)
            ax.invert_yaxis()
        if self.kind != "horizontal_bar":
            step = max(1, len(self.labels) // 12)
            ax.set_xticks(
                positions[::step],
                self.labels[::step],
                rotation=0 if len(self.labels) <= 12 else 45,
                ha="center" if len(self.labels) <= 12 else "right",
            )
        if self.reference_line is not None:
            draw = ax.axvline if self.kind == "horizontal_bar" else ax.axhline
            draw(
                self.reference_line, color="#0b0c0c", linestyle="--", linewidth=1, label=self.reference_label
            )
        ax.set_ylabel(self.y_label)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x" if self.kind == "horizontal_bar" else "y", color="#b1b4b6", linewidth=0.5)
        ax.set_axisbelow(True)
        if len(self.series) > 1 or self.reference_line is not None:
            ax.legend(frameon=False, fontsize=8, loc="best")
        fig.tight_layout()
        return fig
