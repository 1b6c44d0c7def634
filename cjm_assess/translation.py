"""Per-language columns (text_de, text_en) read through one attribute that follows the active language."""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def current_language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE


class Translated:
    """`text = Translated("text")` reads text_<active language>, falling back to German when it is empty."""

    def __init__(self, base: str):
        self.base = base

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, f"{self.base}_{current_language()}", "")
        return value or getattr(instance, f"{self.base}_{settings.LANGUAGE_CODE}", "")
