"""The staff workspace: pages under /staff (saylau.web.staff.pages, .sitting, .sitting_acts,
.protocol) and the staff JSON API under /api/v1/staff (saylau.web.staff.api), over the same
services as the CLI (docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter

from saylau.web.staff import api, pages, protocol, sitting, sitting_acts

router = APIRouter()
router.include_router(pages.router)
router.include_router(sitting.router)
router.include_router(sitting_acts.router)
router.include_router(protocol.router)
router.include_router(api.router)
