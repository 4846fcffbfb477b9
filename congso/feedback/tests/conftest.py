import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congso.feedback.testing import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


def jpeg_with_gps(name="o-ga.jpg", size=(64, 48)) -> SimpleUploadedFile:
    """A real JPEG whose EXIF carries a GPS position and a camera model."""
    img = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[0x0110] = "Galaxy A54"  # Model
    exif[0x8825] = {1: "N", 2: (13.0, 58.0, 30.0), 3: "E", 4: (108.0, 0.0, 15.0)}  # GPSInfo
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def pothole(world, **extra) -> dict:
    data = {
        "category": "giao-thong",
        "title": "Ổ gà lớn trước số 120 Hùng Vương",
        "description": "Ổ gà sâu khoảng 20 cm giữa làn xe máy, đã có người ngã vào buổi tối.",
        "unit": world.units["pleiku"].code,
        "address": "120 Hùng Vương, phường Pleiku",
        "lat": "13.9833",
        "lon": "108.0004",
        "is_public": "on",
        "show_name": "on",
        "name": "Nguyễn Văn An",
        "phone": "0905123456",
        "email": "nguyen.van.an@example.vn",
    }
    data.update(extra)
    return data
