"""Documents in officials' workspace navigation (core.navigation.workspace_links)."""

from congso.core.navigation import WorkLink


def workspace_entries(user) -> list[WorkLink]:
    return []
