"""Words of campaign management: creating, importing, uploads, schedules, exports.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

NAME_THE_CAMPAIGN = "name the campaign, e.g. /campaign status Birds"
NO_CAMPAIGN_NAMED = "There is no campaign named {name!r}. /campaign list shows them."
UNKNOWN_STATUS_ACTION = "unknown action {action!r} (use {actions})"
CAMPAIGN_STATUS_BLOCKS = "Campaign {name!r} is {status}: {how}."
NO_DATASET_NAMED = "There is no dataset named {name!r} (datasets: {names})."
CAMPAIGN_EXISTS = "a campaign named {name!r} exists already"
ATTACH_THE_DATASET = (
    "attach the dataset: a .zip of images with labels.csv, a .csv of texts or a Quick, Draw! "
    "file, or name one already imported with dataset=NAME"
)
CSV_NEEDS_ITS_IMAGES = "{filename} names image files: upload it together with a .zip of the images"
EXPECTED_YES_NO = "{key}: expected yes or no, got {value!r}"
UNKNOWN_COMMAND_ACTION = "unknown action {action!r}: use {actions}"
UNREADABLE_COMMAND = "could not read the command: {exc} (check the quotes)"
UNKNOWN_OPTION = "/campaign {action} has no option {key!r} (options: {known})"
EXPECTED_WHOLE_NUMBER = "{key}: expected a whole number, got {value!r}"
EXPECTED_NUMBER = "{key}: expected a number, got {value!r}"
EXPECTED_OVERLAP = "overlap: expected MIN-MAX such as 3-5, got {value!r}"
NO_CAMPAIGNS_YET = "No campaigns yet. Create one with /campaign create."
ONLY_ADMINS_CREATE_SHARED = "Only admins can create a campaign shared by every community."
CREATE_IN_YOUR_GROUP = "Create the campaign in your group or server."
SAY_WHICH_GAME = "say which game: game=verify, game=classify or game=quickdraw"
DATASET_OR_FILES = "give either dataset=NAME or files, not both"
SCHEDULED = "🗓 {campaign} in {channel}: {rule} ({tz}).\nNext round: {next_run}.{note}"
UNSCHEDULED = "🗓 No more scheduled rounds of {campaign} in {channel}."
TIME_ZONE_SET = "🕰 Time zone set to {tz}: schedules now follow its clock (it is {now} there)."
EXPORTED = "📦 {campaign}: {count} {what} as {fmt}{split}{zipped}."
TIME_ZONE_IS = "🕰 This community's time zone is {current}."
AUDIT_EMPTY = "{title}\nNothing recorded yet."
EXPORT_PART = "📦 {filename}"
SHARED_CAMPAIGN_ADMINS_ONLY = (
    "Campaign {name} is shared by every community: only admins can change it (you can still "
    "schedule its rounds here)."
)
SCHEDULE_FROM_THE_CHANNEL = "Schedule rounds from the group or channel they should run in."
CAMPAIGN_NOTHING_TO_RUN = "Campaign {name} is {status}: nothing to run."
NO_SCHEDULE_HERE = "{campaign} has no schedule in {channel}."
UNKNOWN_EXPORT_FORMAT = "format must be one of {formats}, got {fmt!r}"
CAMPAIGN_NAME_LENGTH = "a campaign name must have 1 to 60 characters"
BAD_OVERLAP = "overlap must satisfy 1 <= minimum <= maximum, got {lo}..{hi}"
BAD_CONFIDENCE = "confidence must be in [0.5, 1), got {conf}"
BAD_GOLD_RATE = "gold rate must be in [0, 1], got {rate}"
BAD_REWARD_MULTIPLIER = "reward multiplier must be in (0, 10], got {multiplier}"
NOT_A_FOLDER = "{folder} is not a folder"
VERIFY_NEEDS_LABEL = "verify needs a label (the candidate shown with the image)"
COLUMN_PROBLEM = "{column}: {message}"
GOLD_YES_OR_NO = "a gold answer must be yes or no"
HOURS_NOT_A_RANGE = "hours: expected a range such as 09:00-21:00, got {text!r}"
HOURS_NOT_ONE_DAY = "hours: {text!r} is not a time range of one day"
BAD_EVERY = "every: rounds run every 1 to {most} minutes, got {minutes}"
HOURS_OUT_OF_DAY = "hours: times must be between 00:00 and 24:00"
BAD_MAX_PER_DAY = "max per day must be 0 (no maximum) or more, got {max_per_day}"
QUIET_EVERY_DAY = "quiet days: at least one day of the week must stay active"
UNKNOWN_TIME_ZONE = (
    "unknown time zone {name!r}: use a name such as Europe/Berlin, America/New_York or UTC"
)
QUIET_NOT_A_DAY = "quiet days: {word!r} is not a day (use mon, tue, ... sun)"
UPLOAD_TOO_BIG = (
    "{filename} is {size_mb:.1f} MB; uploads may be at most {limit_mb:.0f} MB{extra}. Split "
    "the dataset into smaller campaigns, or import it on the server with `run.py import`."
)
QUICKDRAW_FILES_ONLY = "a Quick, Draw! campaign takes only Quick, Draw! files"
ENTRY_OUTSIDE = "{archive}: entry {filename!r} points outside the archive; refused"
ENTRY_IS_LINK = "{archive}: entry {filename!r} is a link; refused"
ENTRY_ENCRYPTED = "{archive}: entry {filename!r} is encrypted; refused"
ARCHIVE_WITHOUT_LABELS = (
    "the archive has no labels CSV: put labels.csv (columns file,label) in it, or upload the "
    "CSV with the archive"
)
ARCHIVE_UNREADABLE = "{archive}: not a readable .zip archive"
ARCHIVE_TOO_MANY_FILES = "{archive}: {count} files; an archive may hold at most {most}"
ENTRY_DAMAGED = "{archive}: entry {filename!r} is damaged or cannot be unpacked"
ARCHIVE_SEVERAL_CSV = "the archive has several CSV files ({names}); name the labels one labels.csv"
ONE_ZIP_PER_CAMPAIGN = "send one .zip of images per campaign"
ENTRY_TWICE = "{archive}: {name!r} appears twice"
ONE_CSV_PER_CAMPAIGN = "send one labels CSV per campaign"
NOT_IMPORTABLE = "{filename}: not a file I can import. Send {accepted}."
ARCHIVE_TOO_LARGE_UNPACKED = (
    "{archive}: unpacks to more than the limit of [campaigns] max_unpacked_mb; refused (split "
    "it, or import it on the server)"
)
ENTRY_EXPANDS_TOO_MUCH = (
    "{archive}: entry {filename!r} expands more than {ratio} times: refused as a possible zip bomb"
)
CAMPAIGNS_TITLE = "📋 Campaigns"
CAMPAIGN_ROW = "• {name} — {game}, {status}, {done}/{items} done"
NOTHING_TO_IMPORT = "nothing to import"
TOO_MANY_PROBLEMS = (
    "stopped after {most} problems (the rest was not read): fix these and upload again"
)
ENTRY_NAME_TOO_LONG = "{archive}: entry {filename!r} has a name longer than 255 bytes; refused"
ENTRY_FILE_AND_FOLDER = "{archive}: {name!r} is both a file and a folder; refused"
NOT_MODERATOR = (
    "Only moderators can manage campaigns: on Discord, members with Manage Server (or the "
    "moderator role); on Telegram, the group's administrators. Ask one of them."
)
NOT_ADMIN = "Only LabelQuest admins can {what}; admins are named in the bot's configuration."
IN_GROUP = "Use this in the group or server channel it is about."
RUNS_WHEN_ACTIVE = "\nIt runs once the campaign is active (now {status})."
NEXT_RUN = "next {when}"
NO_RUNS_WHILE = "no rounds while {status}"
SPLIT_INTO = ", split into {count} parts"
ZIPPED = " (zipped to fit the upload limit)"
AUDIT_TITLE = "🧾 Audit log{of} (newest first)"
AUDIT_OF = " · {campaign}"

# Quick, Draw! imports
BAD_LIMIT = "--limit must be at least 1, got {limit}"
NO_SUCH_FILE = "no such file or folder: {missing}"
NO_VALID_DRAWING = "no valid drawing in {empty}"
NO_DRAWINGS = "no drawings to import"
BAD_LINES = "these lines are bad (fix them, or add skip-bad to import the rest)"
DRAWINGS_NEED_QUICKDRAW = "Quick, Draw! drawings make quickdraw campaigns, not {game}"
DRAWINGS_SWITCHED = "✏️ {name} {state} player drawings (issue 15): /draw gives its words."
DRAWINGS_NEED_ALLOW = (
    "drawings: say allow=yes or allow=no, e.g. /campaign drawings {name} allow=yes"
)
DRAWINGS_ONLY_QUICKDRAW = "{name} is a {game} campaign; only quickdraw campaigns take drawings"
SETTING_NOT_KEY_VALUE = "Settings are key=value words; {word!r} is not one."
DETECTION_TOO_BIG = (
    "{filename} does not fit the upload limit of {limit_kb} KB even zipped; export it on the "
    "server with `run.py export --format {fmt} NAME`"
)
