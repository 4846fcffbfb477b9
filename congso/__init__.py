"""congso — nền tảng chính quyền số (digital-government platform) for Vietnamese provinces and communes."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("congso")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+src"
