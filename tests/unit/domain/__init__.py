"""Unit tests of the domain's rules, on its own objects: no services, no fakes, no I/O."""
