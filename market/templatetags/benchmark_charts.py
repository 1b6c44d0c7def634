"""The benchmark's two charts as SVG, for the result page, the market view and the report alike.

Written here rather than as included templates: a result page draws fourteen of them, and through the
template engine they took a fifth of its time. The geometry comes from market.charts.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


def _font(context) -> str:
    """The PDF's inline SVG needs its font named (the document's CSS does not reach into it); pages do not."""
    font = context.get("svg_font")
    return format_html(' font-family="{}"', font) if font else ""


@register.simple_tag(takes_context=True)
def level_bar(context, row, chart_scope: str, chart_id) -> str:
    """How many organisations of the comparison group reached each level, one's own level marked."""
    bar, ids = row.bar, f"{chart_scope}-{chart_id}-bar"
    font = _font(context)
    parts = []
    for segment in bar.segments:
        if not segment.width:
            continue
        parts.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="26" fill="{}" stroke="#fff" stroke-width="1" />',
                segment.x,
                segment.width,
                segment.colour,
            )
        )
        if segment.labelled:
            parts.append(
                format_html(
                    '<text{} x="{}" y="18" text-anchor="middle" font-size="12" font-weight="600" '
                    'fill="#fff">{}</text>',
                    font,
                    segment.centre,
                    segment.count,
                )
            )
    if bar.own:
        parts.append(
            format_html(
                '<rect x="{}" y="1" width="{}" height="24" fill="none" stroke="#1d2533" stroke-width="2" />'
                '<path d="{}" fill="#1d2533" />',
                bar.own.x,
                bar.own.width,
                bar.marker,
            )
        )
    return format_html(
        '<svg class="level-bar" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        bar.width,
        bar.height,
        ids,
        ids,
        ids,
        _("%(name)s: how many are at each level") % {"name": row.name},
        ids,
        row.description,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


@register.simple_tag(takes_context=True)
def score_box(context, row, chart_scope: str, chart_id) -> str:
    """The middle half of the comparison group's scores and their median on the 1 to 4 axis, one's own score
    marked."""
    box, ids = row.box, f"{chart_scope}-{chart_id}-box"
    font = _font(context)
    ticks = format_html_join(
        "",
        '<line x1="{}" y1="9" x2="{}" y2="19" stroke="#8994a3" stroke-width="1" />'
        '<text{} x="{}" y="38" text-anchor="{}" font-size="10" fill="#4a5361">{}</text>',
        ((tick.x, tick.x, font, tick.x, tick.anchor, tick.label) for tick in box.ticks),
    )
    own = (
        format_html('<circle cx="{}" cy="14" r="6" fill="#1d2533" stroke="#fff" stroke-width="2" />', box.own)
        if box.own is not None
        else ""
    )
    return format_html(
        '<svg class="score-box" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<line x1="{}" y1="14" x2="{}" y2="14" stroke="#8994a3" stroke-width="1" />{}'
        '<rect x="{}" y="5" width="{}" height="18" fill="#d3e0f2" stroke="#0b5cad" stroke-width="1.5" />'
        '<line x1="{}" y1="3" x2="{}" y2="25" stroke="#0b5cad" stroke-width="3" />{}</svg>',
        box.width,
        box.height,
        ids,
        ids,
        ids,
        _("%(name)s: the middle half of the scores") % {"name": row.name},
        ids,
        row.description,
        box.ticks[0].x,
        box.ticks[3].x,
        ticks,
        box.q1,
        box.box_width,
        box.median,
        box.median,
        own,
    )
