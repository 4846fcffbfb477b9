"""Local storage flushes each saved file and its directory entry to disk before returning its name."""

import os

from django.core.files.base import ContentFile

from congso.core import storage


def test_saved_files_are_flushed_before_their_name_is_returned(tmp_path, monkeypatch):
    flushed = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", recording_fsync)
    media = storage.DurableFileSystemStorage(location=tmp_path)
    name = media.save(
        "dossiers/2026/12/giay-chung-sinh.pdf", ContentFile(b"%PDF-1.7 scan of the birth certificate")
    )

    path = tmp_path / name
    assert path.read_bytes() == b"%PDF-1.7 scan of the birth certificate"
    assert flushed == [str(path), str(path.parent)]  # the data, then the directory entry
