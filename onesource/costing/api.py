"""API for cost sharing and recharging, mounted at /api/costing/."""

from ninja import Router

from onesource.costing.api_engine import engine_router
from onesource.costing.api_ledger import ledger_router
from onesource.costing.api_recharge import recharge_router

router = Router(tags=["costing"])
router.add_router("", engine_router)
router.add_router("", ledger_router)
router.add_router("", recharge_router)
