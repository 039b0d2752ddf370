import importlib.util
import sys

import pytest

from chalicelib.adapters import dev_mailbox
from chalicelib.adapters.dev_mailbox import links_in


def load_fresh_copy():
    spec = importlib.util.spec_from_file_location("dev_mailbox_copy", dev_mailbox.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_module_imports_without_moto(monkeypatch):
    # GIVEN an installation without moto (the Lambda package)
    for name in ("moto", "moto.ses", "moto.ses.models"):
        monkeypatch.setitem(sys.modules, name, None)

    # WHEN the module is imported
    module = load_fresh_copy()

    # THEN it imports, and only reading the mailbox says that moto is needed
    with pytest.raises(RuntimeError, match="moto"):
        module.read_mailbox(to=None)


def test_links_are_the_absolute_http_urls_of_the_text_in_order():
    # GIVEN a text with links in prose, on their own lines, repeated, and a non-web scheme
    text = (
        "Set it here:\n"
        "https://cps.example.com/set-password?token=abc&lang=nl\n"
        "Or see (http://cps.example.com/faq). Again: https://cps.example.com/set-password?token=abc&lang=nl.\n"
        "mailto:donotreply@cps.example.com ftp://files.example.com/x\n"
    )

    # WHEN the links are extracted
    links = links_in(text)

    # THEN each http(s) URL appears once, without the punctuation around it
    assert links == [
        "https://cps.example.com/set-password?token=abc&lang=nl",
        "http://cps.example.com/faq",
    ]


def test_a_text_without_links_has_none():
    # GIVEN a text without URLs
    # WHEN / THEN no links are found
    assert links_in("Dear customer,\nno links here: www is not a URL.") == []
