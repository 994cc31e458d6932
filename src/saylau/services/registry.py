"""Imports every service module so that each registers its audit state loaders; `verify`
imports this first so that it knows every object type in the log."""

from saylau.services import appeals as _appeals  # noqa: F401
from saylau.services import candidates as _candidates  # noqa: F401
from saylau.services import commissions as _commissions  # noqa: F401
from saylau.services import events as _events  # noqa: F401
from saylau.services import protocols as _protocols  # noqa: F401
from saylau.services import repeat_elections as _repeat_elections  # noqa: F401
from saylau.services import results as _results  # noqa: F401
from saylau.services import sittings as _sittings  # noqa: F401
from saylau.services import structure as _structure  # noqa: F401
from saylau.services import users as _users  # noqa: F401
