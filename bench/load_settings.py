"""The production settings for the load check, with static files compressed but not renamed by hash:
the manifest storage refuses to collect MOJ Frontend's CSS, which names a source map it does not ship."""

from onesource.settings.production import *  # noqa: F403
from onesource.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
