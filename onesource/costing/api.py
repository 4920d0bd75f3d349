"""API for cost sharing and recharging, mounted at /api/costing/."""

from ninja import Router

from onesource.costing.api_engine import engine_router

router = Router(tags=["costing"])
router.add_router("", engine_router)
