"""Image capture (issue 16): players contribute photos for a prompt within three separate
consents; each photo is cleaned (metadata removed, faces blurred) before it is stored, other
players verify it, a tick settles it once, and accepted photos form the campaign's dataset.

Public names: `Capture` (`engine.capture`), `export_photos` (the zip `run.py export --format
photos` writes)."""

from bot.core.capture.cases import Capture
from bot.core.capture.export import export_photos
from bot.core.capture.photos import PhotoDesk

__all__ = ["Capture", "PhotoDesk", "export_photos"]
