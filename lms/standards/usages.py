"""What points at framework items, without lms importing the feature packages.

courses, assessments and certificates each register a provider from their init_app; a
provider answers, for a batch of item ids, the modules, questions, rubric criteria or evidence
that point at them, each with a link (endpoint and values) when the viewer may open it (the package's own
predicates decide). One query per provider whatever the number of items.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from lms.permissions import require, require_actor
from lms.standards.permissions import can_view_standards


@dataclass(frozen=True)
class Usage:
    """One thing that points at a framework item."""

    item_id: int
    kind: str  # translated label, e.g. "Module"
    title: str  # empty when the viewer may not see what it is (another person's dossier)
    # (endpoint, values) of the page that opens it, None when the viewer may not open it;
    # the page builds the URL (providers never read the request).
    link: tuple[str, dict] | None = None


Provider = Callable[[object, list[int]], list[Usage]]
EXTENSION = "lms_standards_usages"


def register_usage_provider(app: Flask, provider: Provider) -> None:
    """Add a provider: provider(actor, item_ids) -> list[Usage]."""
    app.extensions.setdefault(EXTENSION, []).append(provider)


def usages_of(actor, item_ids: Iterable[int]) -> dict[int, list[Usage]]:
    """Everything that points at each item, grouped by item id."""
    require_actor(actor)
    require(can_view_standards(actor))
    ids = sorted(set(item_ids))
    out: dict[int, list[Usage]] = defaultdict(list)
    if not ids:
        return out
    for provider in current_app.extensions.get(EXTENSION, []):
        for usage in provider(actor, ids):
            out[usage.item_id].append(usage)
    return out


def counts_by_kind(usages: list[Usage]) -> list[tuple[str, int]]:
    """(kind, number) for a list of usages, in the order the kinds first appear."""
    counts: dict[str, int] = {}
    for u in usages:
        counts[u.kind] = counts.get(u.kind, 0) + 1
    return list(counts.items())
