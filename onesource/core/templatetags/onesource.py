from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from onesource.core.charts import Chart

register = template.Library()


@register.inclusion_tag("core/_chart.html")
def chart(definition: Chart, chart_id: str = "chart"):
    """A chart as inline SVG, with its figures in a table beneath for screen readers and print."""
    return {
        "chart": definition,
        "svg": mark_safe(definition.to_svg(id_prefix=chart_id)),  # noqa: S308 - SVG drawn by matplotlib
        "chart_id": chart_id,
    }


@register.filter
def money(value, places: int = 0):
    """£1,234 (or £1,234.56 with places=2); negative amounts as -£1,234."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    text = f"{abs(amount):,.{int(places)}f}"
    return f"-£{text}" if amount < 0 else f"£{text}"


@register.filter
def thousands(value):
    """A number with thousands separators, keeping its decimal places (93916868.00 -> 93,916,868.00).

    Anything that is not a number (text, blank) is returned unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, Decimal):
        places = max(0, -int(value.as_tuple().exponent)) if value.is_finite() else 0
        return f"{value:,.{places}f}"
    return f"{value:,}"


@register.filter
def words(value):
    """Dates, times and yes/no as people read them (4 December 2026 at 2:30pm); anything else unchanged."""
    import datetime as dt

    from onesource.core.audit_display import format_value, person_name

    if isinstance(value, (bool, dt.date, dt.time)):
        return format_value(value)
    if hasattr(value, "get_full_name"):
        return person_name(value)
    return value


@register.filter
def person(user):
    """A person's full name (their user name if they have none); 'The system' for nobody."""
    from onesource.core.audit_display import person_name

    return person_name(user or None)
