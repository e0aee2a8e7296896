"""XML read safely: no DOCTYPE or entities, no network, bounded memory (:mod:`.safe`); the
points of a track read (:mod:`.points`) and written (:mod:`.writing`)."""
