"""Languages the programme's customers are served in (SPEC §1: at least en, nl, de, da, lv)."""

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "nl", "de", "da", "lv")
