from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key], or None: for tables keyed by partner code or contract type."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
