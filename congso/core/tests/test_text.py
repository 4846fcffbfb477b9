import pytest

from congso.core.text import ascii_digits, fold, strip_diacritics, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("dang ky khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ   KẾT HÔN", "dang ky ket hon"),
        ("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh"),
        ("Cấp phiếu lý lịch tư pháp (số 1)", "cap phieu ly lich tu phap so 1"),
        ("Thủ tục 1.000948.H38", "thu tuc 1.000948.h38"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_unicode():
    decomposed = "Đăng ký".encode().decode()  # composed
    import unicodedata

    assert fold(unicodedata.normalize("NFD", decomposed)) == "dang ky"


def test_strip_diacritics_keeps_case():
    assert strip_diacritics("Ủy ban Nhân dân Đắk Lắk") == "Uy ban Nhan dan Dak Lak"


def test_words():
    assert words("Hộ tịch, chứng thực") == ["ho", "tich", "chung", "thuc"]


def test_ascii_digits_refuses_unicode_digits():
    assert ascii_digits("0123456789")
    for value in ("", "²", "١٢", "12²", "1 2", "-1", None, 12):
        assert not ascii_digits(value)
