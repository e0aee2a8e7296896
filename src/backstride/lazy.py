"""A package's names imported on first use (PEP 562), so that importing one of its submodules
does not load every other (a cold ``backstride today`` loads only what it reads).

A package keeps, for the type checker, its names' imports under ``TYPE_CHECKING``, a map of
where each name lives, and ``__getattr__ = lazy_names(__name__, WHERE, globals())``. This
module imports nothing of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: a name of ``where`` (name -> the module it
    lives in) is imported from its module when first asked for and kept in ``namespace`` (the
    package's globals), so later uses do not come back here; any other name is an
    ``AttributeError``, as for a module without one."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
