"""One ``redact`` for every message that may leave the process: errors, logs, reports.

What it masks, in this order:

* each secret it is given (an API key from the settings), wherever it occurs;
* anything shaped like an OpenAI key (``sk-...``), given or not;
* credentials in a URL (``https://user:pass@host`` -> ``https://***@host``);
* the value of a secret-named parameter (``?token=``, ``&key=``, ``api_key=``,
  ``access_token=``, ``secret=``, ``password=``...), in a URL or in prose.

It works on text, so it also cleans messages that vendor libraries built.
"""

from __future__ import annotations

import re

from pydantic import SecretStr

MASK = "***"

_OPENAI_KEY = re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}")
# scheme://userinfo@ : everything between "//" and the last "@" before the host
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s]+@")
_SECRET_PARAMETER = re.compile(
    r"(?i)(?<![a-z0-9])((?:x-)?(?:api[_\-]?key|access[_\-]?token|refresh[_\-]?token|auth[_\-]?token"
    r"|client[_\-]?secret|token|key|secret|password|passwd|sig|signature)=)[^&#\s'\"]+"
)


def redact(text: str, *secrets: str | SecretStr | None) -> str:
    """``text`` with the given secrets, key-shaped strings and URL credentials masked."""
    for secret in secrets:
        value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if value:
            text = text.replace(value, MASK)
    text = _OPENAI_KEY.sub(f"sk-{MASK}", text)
    text = _URL_CREDENTIALS.sub(rf"\g<1>{MASK}@", text)
    return _SECRET_PARAMETER.sub(rf"\g<1>{MASK}", text)
