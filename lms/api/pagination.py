"""The API's pagination convention: ?page=1&per_page=50, an envelope and a Link header."""

from __future__ import annotations

from flask import jsonify, request, url_for
from sqlalchemy import Select, func, select

from lms.db import db
from lms.errors import ValidationFailed

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def page_args() -> tuple[int, int]:
    """Read and check page and per_page from the query string."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError as exc:
        raise ValidationFailed("page and per_page must be whole numbers.") from exc
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed(f"page must be 1 or more and per_page between 1 and {MAX_PER_PAGE}.")
    return page, per_page


def paginate(query: Select, schema, endpoint: str, **endpoint_args):
    """Run a select one page at a time and return the JSON envelope."""
    page, per_page = page_args()
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
