"""Response views shared by the assessments API routes (the scoped loaders are the pages'
ones, assessments.views.common)."""

from __future__ import annotations


class View:
    """A model object with extra attributes for a response schema; the object's own
    attributes show through (so one schema describes both)."""

    def __init__(self, obj, **extra):
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._obj, name)
