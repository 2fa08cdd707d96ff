"""The locate canvas (issue 17): `engine.locate` gives the web canvas its task and takes the
marks drawn on it (`Locate`); `LocateFlow` puts the canvas button on locate cards."""

from bot.core.locate.cases import Locate
from bot.core.locate.flow import LocateFlow
from bot.core.locate.models import CanvasLink, LocateTask

__all__ = ["CanvasLink", "Locate", "LocateFlow", "LocateTask"]
