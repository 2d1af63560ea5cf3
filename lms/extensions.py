"""Flask extensions, created unbound and initialised in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from lms.db import db
from lms.i18n import LocaleDateFormats

migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel(date_formats=LocaleDateFormats())  # one date style per language
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
