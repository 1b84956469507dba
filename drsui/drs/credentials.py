"""How the client authenticates: an IAM user's password, a token obtained elsewhere, or an
access key pair (AK/SK) that signs each request."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PasswordCredentials:
    """An IAM user; the client exchanges these for a project-scoped token and caches it."""

    user: str
    password: str
    domain: str

    def __repr__(self):
        return f"PasswordCredentials(user={self.user!r}, password='***', domain={self.domain!r})"


@dataclass(frozen=True)
class StaticToken:
    """An IAM token used as is: never renewed, a 401 with it is final."""

    token: str

    def __repr__(self):
        return "StaticToken(token='***')"


@dataclass(frozen=True)
class AccessKeyCredentials:
    """An access key pair: every request is signed (SDK-HMAC-SHA256), no IAM token is used."""

    access_key: str
    secret_key: str

    def __repr__(self):
        return f"AccessKeyCredentials(access_key={self.access_key!r}, secret_key='***')"
