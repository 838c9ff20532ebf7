"""Texts the demo composes its customers' answers from."""
