"""The permission matrix's world: the objects of access-to-information requests (inforequests) and the national portal's inbound sync (integration/national).

``extend`` adds them to the world ``conftest._build`` makes, under names (``v[...]``) that
``matrix_requests.py`` refers to in its paths and bodies.
"""


def extend(w, v) -> None:
    """Add this area's objects to the world ``w``; record what requests refer to in ``v``."""
