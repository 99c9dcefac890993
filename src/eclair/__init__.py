"""Éclair: a sovereign, open-source AI chat assistant."""

__version__ = "0.1.0"
