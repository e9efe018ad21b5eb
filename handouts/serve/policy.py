"""The Content-Security-Policy serve sends: the pages' own, with a nonce for its one script."""

from __future__ import annotations

import html
import re

from ..pages.sandbox import CONTENT_SECURITY_POLICY

# The pages' own policy (templates/base.html and packet-print.html carry it as a meta
# element): the header of every response, and, with a nonce for serve's script, of each page.
CSP = CONTENT_SECURITY_POLICY

_CSP_META = re.compile(r"<meta\s[^>]*http-equiv\s*=\s*[\"']?content-security-policy\b[^>]*>",
                       re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def page_policy(page: str, nonce: str) -> tuple[str, str]:
    """The page with each Content-Security-Policy meta element allowing the script of
    ``nonce``, and the policy for its header (its first meta element's, else CSP)."""
    policies = []

    def rewrite(match: re.Match) -> str:
        content = _CONTENT.search(match[0])
        policy = with_nonce(html.unescape(content[1] if content[1] is not None else content[2])
                            if content else CSP, nonce)
        policies.append(policy)
        written = html.escape(policy, quote=False).replace('"', "&quot;")  # 'self' kept as is
        return f'<meta http-equiv="Content-Security-Policy" content="{written}">'

    page = _CSP_META.sub(rewrite, page)
    return page, policies[0] if policies else with_nonce(CSP, nonce)


def with_nonce(policy: str, nonce: str) -> str:
    """``policy`` with its script-src (and script-src-elem) allowing only ``nonce``'s script."""
    directives = [directive.strip() for directive in policy.split(";") if directive.strip()]
    allowed = f"'nonce-{nonce}'"
    names = [directive.split()[0].lower() for directive in directives]
    if "script-src" not in names:
        directives.append("script-src")
        names.append("script-src")
    return "; ".join(f"{name} {allowed}" if name in ("script-src", "script-src-elem")
                     else directive for name, directive in zip(names, directives))
