import io

import pytest
from PIL import Image

from congso.accounts.models import User
from congso.dossiers.tests.conftest import *  # noqa: F403
from congso.dossiers.tests.conftest import pdf


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(
        "cd.binh", password="Mat-khau-dai-2026!", full_name="Trần Thị Bình", kind="citizen"
    )


def jpeg_with_exif() -> bytes:
    """A small JPEG carrying EXIF: camera make and a GPS position (Pleiku)."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera-Cua-An"  # Make
    exif[0x0110] = "Dien-thoai-X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (13.0, 58.0, 0.0)
    gps[3] = "E"
    gps[4] = (108.0, 0.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload_file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def paper():
    return pdf()
