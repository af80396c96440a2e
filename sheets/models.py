"""Django looks for an app's models here: each package of sheets/ keeps its own models.py
(the app label stays `sheets`, so no table moved), and this module only loads them.
Import a model from its package, not from here."""

from sheets.breakdowns import models as breakdowns  # noqa: F401
from sheets.clients import models as clients  # noqa: F401
from sheets.interop.imports import models as imports  # noqa: F401
from sheets.network import models as network  # noqa: F401
from sheets.printing import models as printing  # noqa: F401
from sheets.programs import models as programs  # noqa: F401
from sheets.search import models as search  # noqa: F401
