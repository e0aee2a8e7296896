"""The per-process application context: settings, the store, the current athlete."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.write_turn import WriteTurnProbe as WriteTurnProbe  # for the web
from backstride.config import Settings


@dataclass
class App:
    """What every use case needs: settings and an open, migrated store."""

    settings: Settings

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.database_url)

    @cached_property
    def athlete_id(self) -> int:
        with self.store.session() as session:
            return AthleteRepo(session).get_or_create_default()

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.dispose()
