"""XML read safely: no DOCTYPE or entities, no network, bounded memory (:mod:`.safe`)."""
