"""The domain's array types, in one place.

Importing this module imports numpy. The modules the day's answer reads records from
(``activity``, ``metrics.results``) name these types on first use only
(:func:`backstride.lazy.lazy_names`), so ``backstride today`` loads no numpy
(docs/architecture.md, "What the day reads").
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
