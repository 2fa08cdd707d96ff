"""Files users attach on the Discord fake: to a message (MESSAGE_CREATE `attachments`) or to a
slash command's ATTACHMENT option (type 11, resolved in `data.resolved.attachments`).

Discord's attachment object carries `id`, `filename`, `size`, `url`, `proxy_url`,
`content_type` (from the file name, as Discord guesses it) and, for images it can read,
`width` and `height` (https://discord.com/developers/docs/resources/message#attachment-object).
The bytes are served on the fake CDN at the attachment's url; `FakeDiscord.cdn_fetches` lists
what was downloaded.
"""

from __future__ import annotations

import mimetypes
from typing import Any, NamedTuple

from tests.support.fakes.discord.messages import StoredAttachment


class UserFile(NamedTuple):
    """A file a user attaches. `declared_size` makes it claim a size its test bytes do not
    have (a 30 MB photo without allocating 30 MB); `content_type` defaults to a guess from the
    name. A plain `(filename, bytes)` tuple is accepted wherever a UserFile is."""

    filename: str
    data: bytes
    content_type: str | None = None
    declared_size: int | None = None


def as_user_file(value: Any) -> UserFile:
    if isinstance(value, UserFile):
        return value
    filename, data = value
    return UserFile(str(filename), bytes(data))


def user_attachment(attachment_id: int, value: Any, url_base: str) -> StoredAttachment:
    """The attachment Discord makes of a user's file; its url is `url_base/<id>/<filename>`."""
    file = as_user_file(value)
    kind = file.content_type or mimetypes.guess_type(file.filename)[0]
    att_id = str(attachment_id)
    return StoredAttachment(
        att_id,
        file.filename,
        kind or "application/octet-stream",
        file.data,
        f"{url_base}/{att_id}/{file.filename}",
        declared_size=file.declared_size,
    )
