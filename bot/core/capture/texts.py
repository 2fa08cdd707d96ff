"""Words of image capture (issue 16): consents, prompts, refusals, notices, exports."""

from __future__ import annotations

SEND_IN_PRIVATE = (
    "📷 Photos are sent in a private chat with me, never in a group: open a private chat "
    "with me and use /contribute there."
)
CONSENT_INTRO = (
    "📷 Before your first photo, three separate questions (each can be refused and "
    "changed later with /contribute). Question {n} of 3:\n\n"
)
CONSENT_STORES = (
    "1️⃣ May LabelQuest store the photos you send (cleaned first: all metadata such as "
    "GPS and camera details removed, faces blurred)? Without this, no photo is stored."
)
CONSENT_OWNER = (
    "2️⃣ May the campaign's owner use your photos (in the dataset they export)? Without "
    "this, your photos are still verified and count for you, but never leave in their "
    "dataset."
)
CONSENT_PUBLISH = (
    "3️⃣ May your photos be published under the campaign's open licence ({licence}), "
    "credited to a pseudonym? Without this, they are never in the published dataset."
)
YES = "Yes"
NO = "No"
CONSENTS_DONE = (
    "Thank you. Your photo consents: store {stores} · owner may use {owner_use} · "
    "publish {publish}. Country shared: {country}.\n"
    "Optional: share your country with /contribute country XX (two-letter ISO code, e.g. "
    "DE); /contribute country none withdraws it."
)
ANSWER_YES = "yes"
ANSWER_NO = "no"
ANSWER_OPEN = "not answered"
NOT_SHARED = "no"
PROMPT = (
    "📷 {campaign}: send me {prompt}, as a photo or an image file, here in this chat.\n"
    "Others will check each photo (is it {subject}, is it usable?); you earn points for each "
    "photo they accept. You may send {left} more. Licence: {licence}."
)
NO_CAPTURE = "There is no photo campaign with prompts left for you right now."
NO_CAPTURE_NAMED = "There is no active photo campaign named {name}."
NOT_STORED_NO_CONSENT = (
    "Photo not stored: you did not agree that LabelQuest stores photos; /contribute to "
    "change that."
)
ANSWER_CONSENTS_FIRST = "Photo not stored: answer the three photo questions first (/contribute)."
PHOTO_TOO_BIG = "Photo not stored: it is {size_mb} MB, the limit is {limit_mb} MB."
PHOTO_TOO_MANY_PIXELS = (
    "Photo not stored: it has too many pixels (the limit is {limit_mp} megapixels)."
)
PHOTO_NOT_IMAGE = (
    "Photo not stored: {filename} is not an image I can read (send a JPEG, PNG or WebP photo)."
)
PHOTO_CORRUPT = "Photo not stored: {filename} is damaged or incomplete; please send it again."
PHOTO_LIMIT = "Photo not stored: you already sent {limit} photos to {campaign}, its limit."
CAMPAIGN_NOT_OPEN = "Photo not stored: {campaign} no longer takes photos ({status})."
PHOTO_STORED = (
    "📷 Thank you! Photo #{photo} is stored for {campaign} ({faces} face(s) blurred, "
    "metadata removed). Others will now check it. You may send {left} more."
)
PHOTO_ACCEPTED = (
    "✅ Your photo #{photo} for {campaign} was accepted by other players: +{points} points."
)
PHOTO_REJECTED = "Your photo #{photo} for {campaign} was not accepted by other players ({label})."
COUNTRY_SHARED = "🌍 Country {country} is now stored with your future photos."
COUNTRY_WITHDRAWN = "🌍 Your country is no longer shared with your future photos."
BAD_COUNTRY = "{country} is not a two-letter country code (ISO 3166-1, e.g. DE, BR, IN)."
UNKNOWN_CONSENT = "There is no photo consent named {which} (use stores, owner_use, publish)."
MY_PHOTOS = "📷 Your photos ({count}):"
MY_PHOTO_LINE = "#{photo} · {campaign} · {status} · consents: {consents}"
NO_PHOTOS = "📷 You have no stored photos."
DELETE_PHOTO = "🗑 Delete #{photo}"
DELETE_ASK = "Delete photo #{photo} for good? It leaves every export."
DELETE_CONFIRM = "🗑 Delete it"
CANCEL = "Cancel"
DELETE_CANCELLED = "Nothing deleted."
PHOTO_DELETED = "🗑 Photo #{photo} is deleted: gone from the dataset and every export."
NO_SUCH_PHOTO = "You have no photo #{photo}."
STATUS_PENDING = "being checked"
EXPORT_NOT_CAPTURE = "{campaign} is not a photo campaign."
PHOTOS_EXPORTED = (
    "📦 {campaign}: {count} accepted photo(s) with consent ({which}), licence {licence}, "
    "pseudonymous authors."
)
WHICH_OWNER = "owner use"
WHICH_PUBLISHED = "published under the open licence"
EXPORT_TOO_BIG = (
    "The photo export of {campaign} is {size_mb} MB, over this chat's limit of {limit_mb} "
    "MB: use run.py export --format photos."
)
