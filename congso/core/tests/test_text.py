import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def _reference_strip(text: str) -> str:
    """The definition ``strip_diacritics`` computes faster: every nonspacing mark of the whole text's NFD."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


@given(st.text())
def test_strip_diacritics_is_the_whole_text_definition(text):
    assert strip_diacritics(text) == _reference_strip(text)


@given(st.text(alphabet="aăâeêioôơuưyAĂÂEÊIOÔƠUƯYđĐ \u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b"))
def test_strip_diacritics_on_vietnamese_letters_and_loose_marks(text):
    assert strip_diacritics(text) == _reference_strip(text)


def test_strip_diacritics_remembers_a_bounded_number_of_characters():
    from congso.core import text as module

    table = module._Unmarked()
    for code in range(0x4E00, 0x4E00 + table.LIMIT + 500):
        assert table[code] == chr(code)
    assert len(table) == table.LIMIT
