"""Demo papers: realistic, valid PDFs in the demo citizens' stores, loaded once however often it runs."""

import io

import pytest

from congso.accounts.models import User
from congso.datastore import demo, services

pytestmark = pytest.mark.django_db


def test_demo_papers_are_idempotent():
    an = User.objects.create_user("congdan.an", full_name="Nguyễn Văn An", kind="citizen")
    User.objects.create_user("congdan.binh", full_name="Trần Thị Bình", kind="citizen")
    out = io.StringIO()
    assert demo.load(out) == []
    first = {d.title for d in services.documents_for(an)}
    assert first == {"Căn cước công dân (bản chụp)", "Giấy chứng nhận kết hôn"}
    demo.load(out)
    assert services.documents_for(an).count() == 2
    doc = services.documents_for(an).get(title="Giấy chứng nhận kết hôn")
    assert doc.kind == "pdf" and doc.original_name == "Giấy chứng nhận kết hôn.pdf"
    with doc.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert "4 giấy tờ mẫu" in out.getvalue()
