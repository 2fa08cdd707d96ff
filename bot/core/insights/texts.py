"""Words of the dashboard's read models (`bot.core.insights`).

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments).
"""

from __future__ import annotations

NO_SUCH_CAMPAIGN = "there is no campaign with id {campaign_id}"
NO_SUCH_ITEM = "campaign {campaign_id} has no item with id {item_id}"
NO_MEDIA = "item {item_id} has no image"
