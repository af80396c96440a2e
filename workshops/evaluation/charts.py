"""Charts drawn on the server as SVG: no script, no CDN, the same in the browser and the PDF.

Each chart has a title and a description (read by screen readers through the SVG's <title>
and <desc>), and the page prints the same figures as a table beside it. A count that is not
shown (「3件未満」, 「秘匿」) gets no bar, only its words under the axis: a bar's height would
tell what the words hide."""

from dataclasses import dataclass, field

from registry.smallcounts import SafeCount

WIDTH = 640
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56
LEGEND_ROW = 30  # of BOTTOM, under the quarter names
# Distinguishable in colour and in grey print (light → dark), with a pattern-free legend order.
COLOURS = ("#9ecae1", "#4292c6", "#08519c", "#08306b", "#6baed6")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # what the bar says in words (its tooltip and the text above it)
    hidden: bool


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Category:
    x: float
    label: str


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    series: list[tuple[int, str, str]]  # (x, label, colour) for the legend
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM


def _nice_top(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def bar_chart(
    chart_id: str, title: str, description: str, categories: list[str], series: list[tuple[str, list[SafeCount]]]
) -> BarChart:
    """Grouped bars: one group per category (quarter), one bar per series."""
    shown = [c.value for _label, cells in series for c in cells if not c.hidden]
    top = _nice_top(max(shown, default=0) or 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(28.0, (group_w - 16) / max(len(series), 1))
    legend = [(LEFT + 150 * i, label, COLOURS[i]) for i, (label, _c) in enumerate(series)]
    # The legend is drawn in HTML under the chart (_bar_chart.html): no room kept for it here.
    chart = BarChart(chart_id, title, description, legend, height=HEIGHT - LEGEND_ROW)
    step = top // 5
    chart.ticks = [Tick(round(TOP + plot_h - plot_h * v / top, 1), v) for v in range(0, top + 1, step)]
    for index, category in enumerate(categories):
        start = LEFT + group_w * index + (group_w - bar_w * len(series)) / 2
        chart.categories.append(Category(round(LEFT + group_w * (index + 0.5), 1), category))
        for s, (label, cells) in enumerate(series):
            cell = cells[index]
            height = 0.0 if cell.hidden else plot_h * cell.value / top
            chart.bars.append(
                Bar(
                    round(start + bar_w * s, 1),
                    round(TOP + plot_h - height, 1),
                    round(bar_w - 2, 1),
                    round(height, 1),
                    COLOURS[s],
                    f"{label}：{cell.shown}",
                    cell.hidden != "",
                )
            )
    return chart


@dataclass
class RateRow:
    y: float
    label: str
    bar_width: float
    low_x: float
    high_x: float
    text: str
    shown: bool
    colour: str = COLOURS[2]


@dataclass
class RateChart:
    id: str
    title: str
    description: str
    rows: list[RateRow]
    width: int = WIDTH
    height: int = 0
    left: int = 150
    plot_width: int = WIDTH - 150 - 130
    gridlines: list[tuple[float, int]] = field(default_factory=list)


def rate_chart(chart_id: str, title: str, description: str, rows: list[tuple[str, float | None, float, float, str]]):
    """Horizontal bars of shares (0–100 %) with their 95 % interval as a line: (label, rate or
    None when it is not shown, low, high, words)."""
    chart = RateChart(chart_id, title, description, [])
    chart.height = 30 + 34 * len(rows)
    chart.gridlines = [(round(chart.left + chart.plot_width * p / 100, 1), p) for p in (0, 25, 50, 75, 100)]
    for index, (label, rate, low, high, text) in enumerate(rows):
        y = 12 + 34 * index
        colour = COLOURS[2] if index % 2 == 0 else COLOURS[0]  # with experience dark, without light
        if rate is None:
            chart.rows.append(RateRow(y, label, 0, 0, 0, text, False, colour))
            continue
        chart.rows.append(
            RateRow(
                y,
                label,
                round(chart.plot_width * rate, 1),
                round(chart.left + chart.plot_width * low, 1),
                round(chart.left + chart.plot_width * high, 1),
                text,
                True,
                colour,
            )
        )
    return chart
