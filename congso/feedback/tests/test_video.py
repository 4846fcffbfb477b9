"""One short video per report instead of photos (ADR 0170): an MP4 checked by content through
core.uploads (its boxes chained, a movie header and media data), the place and device boxes blanked,
within the size and duration settings; anything else gets a clear message and writes nothing."""

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.errors import InvalidFields
from congso.core.uploads import MP4, UploadRejected, inspect_upload

from .. import services
from ..models import Media, Report
from .conftest import jpeg_with_gps, pothole

pytestmark = pytest.mark.django_db
GPS = b"+13.9833+108.0004/"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(seconds: int = 12, *, gps: bool = True) -> bytes:
    """A small ISO base media file: ftyp, moov (mvhd with the duration; udta with a ©xyz place and a
    trak carrying its own meta), then mdat."""
    mvhd = box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, seconds * 1000) + bytes(80))
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(GPS), 0) + GPS)) if gps else b""
    trak = box(b"trak", box(b"tkhd", bytes(84)) + box(b"meta", bytes(4) + box(b"hdlr", bytes(24))))
    return (
        box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
        + box(b"moov", mvhd + trak + udta)
        + box(b"mdat", bytes(2048))
    )


def upload(data: bytes, name="o-ga.mp4"):
    return SimpleUploadedFile(name, data, content_type="video/mp4")


def test_core_checks_the_boxes_and_blanks_the_place():
    raw = mp4()
    checked = inspect_upload(upload(raw), allowed=(MP4,))
    assert checked.kind == MP4 and checked.mime == "video/mp4" and checked.seconds == 12
    assert GPS in raw and GPS not in checked.content
    assert len(checked.content) == len(raw)  # blanked in place: the media offsets stay right
    assert b"udta" not in checked.content and b"free" in checked.content
    for bad in (raw[:-100], b"\x00\x00\x00\x18ftypisom" + bytes(100), jpeg_with_gps().read()):
        with pytest.raises(UploadRejected):
            inspect_upload(upload(bad), allowed=(MP4,))
    with pytest.raises(UploadRejected):  # a video where only documents are taken
        inspect_upload(upload(raw))


def test_a_report_with_a_short_video(world, client):
    r = services.submit(pothole(world), video=upload(mp4()), actor=world.users["citizen"], ip="10.0.15.1")
    media = Media.objects.get(report=r)
    assert media.mime == "video/mp4" and GPS not in media.file.read()
    services.act(r.code, "accept", actor=world.users["ward_officer"])
    page = client.get(f"/phan-anh/{r.code}/").content.decode()
    assert f'<video class="fb-video" controls preload="metadata" src="/phan-anh/anh/{media.pk}/"' in page
    assert client.get(f"/phan-anh/anh/{media.pk}/")["Content-Type"] == "video/mp4"


def test_bad_videos_are_refused_and_nothing_is_written(world, settings, client):
    settings.CONGSO_FEEDBACK_MAX_VIDEO_SECONDS = 30
    cases = [
        ({"video": upload(mp4(seconds=45))}, "30 giây"),
        ({"video": upload(b"<html><script>alert(1)</script></html>", "video.mp4")}, "MP4"),
        ({"video": upload(mp4()), "files": [jpeg_with_gps()]}, "không gửi cả hai"),
    ]
    for n, (kw, message) in enumerate(cases):
        with pytest.raises(InvalidFields) as exc:
            services.submit(pothole(world), kw.get("files", ()), video=kw["video"], ip=f"10.0.16.{n}")
        assert message in exc.value.errors["video"][0], exc.value.errors
    settings.CONGSO_FEEDBACK_MAX_VIDEO_BYTES = 1000
    with pytest.raises(InvalidFields) as exc:
        services.submit(pothole(world), video=upload(mp4()), ip="10.0.16.9")
    assert "dung lượng" in exc.value.errors["video"][0]
    answer = client.post("/api/v1/feedback/reports", {**pothole(world), "video": upload(mp4(seconds=45))})
    assert answer.status_code == 400 and "video" in answer.json()["errors"]
    assert not Report.objects.exists() and not Media.objects.exists()
