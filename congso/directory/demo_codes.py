"""Fixed identifiers of the demo province, so every app's demo data and tests agree.

Gia Lai (province code 52) after the 1 July 2025 merger with Bình Định; seat in phường Quy Nhơn.
Agency codes follow the shape of electronic identifier codes (Decision 20/2020/QĐ-TTg: 0-9, A-Z, '.').
"""

PROVINCE_UNIT = "52"  # Tỉnh Gia Lai

# Communes/wards of the demo (official codes from vietnam-provinces)
COMMUNE_UNITS = {
    "21583": "Phường Quy Nhơn",
    "23575": "Phường Pleiku",
    "23764": "Xã Ia Grai",
}

# Their names in official English usage (without diacritics), for the agencies' English names
COMMUNE_NAMES_EN = {
    "21583": "Quy Nhon Ward",
    "23575": "Pleiku Ward",
    "23764": "Ia Grai Commune",
}

# Province-level agencies
PROVINCE_PC = "000.00.00.H21"  # Ủy ban nhân dân tỉnh Gia Lai
PROVINCE_CENTRE = "000.00.31.H21"  # Trung tâm Phục vụ hành chính công tỉnh Gia Lai
DEPT_JUSTICE = "000.00.12.H21"  # Sở Tư pháp
DEPT_JUSTICE_CIVIL = "000.12.01.H21"  # Phòng Hành chính tư pháp (thuộc Sở Tư pháp)
DEPT_CONSTRUCTION = "000.00.15.H21"  # Sở Xây dựng


def commune_pc(unit_code: str) -> str:
    """Ủy ban nhân dân of a demo commune/ward, e.g. H21.23575 for phường Pleiku."""
    return f"H21.{unit_code}"


def commune_centre(unit_code: str) -> str:
    """Trung tâm Phục vụ hành chính công of a demo commune/ward, e.g. H21.23575.01."""
    return f"H21.{unit_code}.01"


# English titles of the demo leaders' positions (``Membership.position_en``), by username: several apps'
# demos create the same leader (the first one wins), and each gives the title from here, so they agree.
POSITIONS_EN = {
    "lanhdao.tinh": "Vice Chairman of Gia Lai Provincial People's Committee",
    "lanhdao.tuphap": "Deputy Director of the Department of Justice of Gia Lai Province",
    "lanhdao.xaydung": "Deputy Director of the Department of Construction of Gia Lai Province",
    "quantri.pvhcc.tinh": "Deputy Director of the Public Administrative Service Centre of Gia Lai Province",
    "chutich.pleiku": "Chairman of the People's Committee of Pleiku Ward",
    "lanhdao.pleiku": "Vice Chairman of the People's Committee of Pleiku Ward",
    "phochutich2.pleiku": "Vice Chairwoman of the People's Committee of Pleiku Ward",
    "lanhdao.quynhon": "Vice Chairman of the People's Committee of Quy Nhon Ward",
    "lanhdao.iagrai": "Chairman of the People's Committee of Ia Grai Commune",
}


def position_en(username: str) -> str:
    """The English title of a demo official's position ("" for those without one here)."""
    return POSITIONS_EN.get(username, "")
