"""The demo competition loaded by ``judge demo``."""
