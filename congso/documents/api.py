from ninja import Router

from congso.core.api_auth import read_auth

router = Router(tags=["Văn bản"], auth=read_auth)
