"""Names a package imports on first use (backstride.lazy), as the metrics, diary and plan
packages do so that importing one submodule does not load every other."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from backstride.lazy import lazy_names


def test_a_lazy_name_is_imported_from_its_module_when_first_asked_for_and_kept() -> None:
    namespace: dict[str, Any] = {}
    getattr_ = lazy_names("pkg", {"dedent": "textwrap"}, namespace)
    import textwrap

    assert getattr_("dedent") is textwrap.dedent
    assert namespace == {"dedent": textwrap.dedent}


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    getattr_ = lazy_names("pkg", {"dedent": "textwrap"}, {})
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute 'wrap'"):
        getattr_("wrap")


_PROBE = """
import json, sys
import backstride.services.plan as plan
before = "backstride.services.plan.views" in sys.modules
show = plan.show_plan
after = "backstride.services.plan.views" in sys.modules
print(json.dumps([before, after, show.__module__, "show_plan" in vars(plan)]))
"""


def test_a_package_loads_a_submodule_only_when_one_of_its_names_is_used() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == [False, True, "backstride.services.plan.views", True]
    with pytest.raises(AttributeError, match="backstride.services.plan"):
        import backstride.services.plan as plan

        _ = plan.no_such_name
