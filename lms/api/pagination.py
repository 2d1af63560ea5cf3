"""The API's pagination convention: ?page=1&per_page=50, an envelope and a Link header."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from lms.db import db
from lms.errors import ValidationFailed
from lms.validation import ascii_number

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


def page_args() -> tuple[int, int]:
    """Read and check page and per_page from the query string."""
    page = ascii_number(request.args.get("page", "1"))
    per_page = ascii_number(request.args.get("per_page", str(DEFAULT_PER_PAGE)))
    if (
        page is None
        or per_page is None
        or not 1 <= page <= MAX_PAGE
        or not 1 <= per_page <= MAX_PER_PAGE
    ):
        raise ValidationFailed(
            _(
                "page must be between 1 and %(pages)d and per_page between 1 and %(per)d.",
                pages=MAX_PAGE,
                per=MAX_PER_PAGE,
            )
        )
    return page, per_page


@dataclass(frozen=True)
class CutInSql:
    """A list whose rows are assembled from several queries, counted and cut in SQL: total,
    and fetch(limit, offset) building one page only (e.g. the dossier worklist)."""

    total: int
    fetch: Callable[[int, int], list]


def paginate(query: Select | list | CutInSql, schema, endpoint: str | None = None, **endpoint_args):
    """One page of a select (run with LIMIT/OFFSET), of a CutInSql or of a list, as the JSON
    envelope."""
    page, per_page = page_args()
    endpoint = endpoint or request.endpoint
    endpoint_args = {**(request.view_args or {}), **endpoint_args}
    if isinstance(query, CutInSql):
        total = query.total
        items = query.fetch(per_page, (page - 1) * per_page)
    elif isinstance(query, list):
        total = len(query)
        items = query[(page - 1) * per_page : page * per_page]
    else:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    pages = max(1, -(-total // per_page))
    resp = jsonify(
        {
            "items": schema.dump(items, many=True),
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
        }
    )
    links = []
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    args.update(endpoint_args)
    if page < pages:
        links.append(f'<{url_for(endpoint, page=page + 1, per_page=per_page, **args)}>; rel="next"')
    if page > 1:
        links.append(f'<{url_for(endpoint, page=page - 1, per_page=per_page, **args)}>; rel="prev"')
    if links:
        resp.headers["Link"] = ", ".join(links)
    return resp
