"""API for the workforce, mounted at /api/workforce/."""

from ninja import Router

from onesource.workforce import api_import, api_transparency

router = Router(tags=["workforce"])
router.add_router("", api_import.router)
router.add_router("", api_transparency.router)
