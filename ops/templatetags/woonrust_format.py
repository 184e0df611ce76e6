"""Template filters for ops.formatting: `{{ amount|money }}`, `{{ phone|tel }}`,
`{{ moment|iso }}`."""

from __future__ import annotations

from django import template

from ops import formatting

register = template.Library()


@register.filter
def money(amount) -> str:
    return formatting.money(amount)


@register.filter
def tel(phone) -> str:
    return formatting.tel_uri(phone)


@register.filter
def iso(moment) -> str:
    return formatting.iso_moment(moment)
