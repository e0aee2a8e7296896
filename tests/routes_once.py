"""FastAPI's per-app route state, built from parts made once per test process.

FastAPI (0.16x) builds an included router's routes for each app on its first request: every
route's dependencies (the endpoint's signature, its annotations evaluated) and a pydantic
``TypeAdapter`` for each parameter, body and response model. A server process builds one app;
the tests build one per test (``create_app``), about half a second of CPU each time, a quarter
of a short page test's CPU time. Both parts depend only on what they are built from:

* a signature on the callable itself (the same function object, whose annotations are read);
* a ``TypeAdapter`` on the annotation, its metadata and the field's settings.

So each is made once per process and reused for an equal input: a callable by identity; a
field by its settings' values where they are plain values (text, numbers, ``None``, and
tuples, lists and dicts of them) and by identity otherwise (a type, a default object, a
metadata object), so that two fields share an adapter only when they were built from the same
things. What is built from them (each app's routes, dependants, fields and handlers) is still
the app's own.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

_PLAIN = (bool, int, float, str, bytes, type(None))


def _frozen(value: Any, keep: list[Any]) -> Any:
    """``value`` as a hashable key that equals another's only for the same content: plain
    values by type and value, containers by their items, anything else by identity (kept
    alive in ``keep``, so that its id is not reused by another object)."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if kind in (tuple, list):
        return (kind, tuple(_frozen(item, keep) for item in value))
    if kind is dict:
        return (kind, tuple((_frozen(k, keep), _frozen(v, keep)) for k, v in value.items()))
    keep.append(value)
    return ("id", id(value))


@contextmanager
def routes_built_once() -> Iterator[None]:
    """Within the block, FastAPI's signatures and field adapters are made once per input."""
    try:
        from fastapi._compat import v2
        from fastapi.dependencies import utils
    except ImportError:  # another FastAPI: its routes are built as it builds them
        yield
        return
    typed_signature = getattr(utils, "get_typed_signature", None)
    post_init = getattr(v2.ModelField, "__post_init__", None)
    as_dict = getattr(v2, "asdict", None)  # what __post_init__ builds the adapter from
    if typed_signature is None or post_init is None or as_dict is None:
        yield
        return

    signatures: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    def signature_once(call: Any) -> Any:
        try:
            found = signatures.get(call)
        except TypeError:  # not weakly referable, or not hashable: built each time
            return typed_signature(call)
        if found is None:
            found = signatures[call] = typed_signature(call)
        return found

    adapters: dict[Any, tuple[list[Any], Any]] = {}

    def post_init_once(self: Any) -> None:
        keep: list[Any] = []
        try:
            fields = as_dict(self.field_info)
            key = _frozen(
                (fields["annotation"], fields["metadata"], fields["attributes"], self.config),
                keep,
            )
            hash(key)
        except (TypeError, KeyError):  # a FieldInfo of another shape: built as FastAPI does
            post_init(self)
            return
        found = adapters.get(key)
        if found is None:
            post_init(self)
            adapters[key] = (keep, self._type_adapter)
        else:
            self._type_adapter = found[1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(utils, "get_typed_signature", signature_once)
        mp.setattr(v2.ModelField, "__post_init__", post_init_once)
        yield
