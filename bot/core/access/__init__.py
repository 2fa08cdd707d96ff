"""Access: API tokens for the JSON API (issue 14): create (shown once), verify, list, revoke.

Public names: `Access` (the use cases), `Principal` (who a verified token is), `IssuedToken`
(a new token and its row), `TokenInfo` (a token as listed, never the secret), `texts`,
`READ`/`WRITE` (scopes); dashboard sign-in: `Signin` (one-time links, sessions),
`DashboardLink`, `OpenedSession`, `WebSession`."""

from bot.core.access import texts
from bot.core.access.cases import READ, WRITE, Access, IssuedToken, Principal, TokenInfo
from bot.core.access.signin import DashboardLink, OpenedSession, Signin, WebSession

__all__ = [
    "READ",
    "WRITE",
    "Access",
    "DashboardLink",
    "IssuedToken",
    "OpenedSession",
    "Principal",
    "Signin",
    "TokenInfo",
    "WebSession",
    "texts",
]
