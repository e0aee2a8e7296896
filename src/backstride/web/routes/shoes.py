"""The Shoes page: every pair with its wear, and the forms to add, default and retire one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.domain.shoes import clean_shoe_name, parse_sport
from backstride.web.api.shoes import make_default, retire, save_shoe
from backstride.web.deps import TodayDep, WebDep
from backstride.web.forms import Fields, FormField, SectionsPage, sections_form, show_sections
from backstride.web.schemas.shoes import ShoeDefaultIn, ShoeIn, ShoeRetireIn
from backstride.web.views.shoes import shoes_data

router = APIRouter(include_in_schema=False)


SHOES = SectionsPage(
    "shoes", "/shoes", "pages/shoes.html", "partials/_shoes_sections.html", shoes_data
)


@router.get("/shoes", response_class=HTMLResponse)
async def shoes_page(
    request: Request, web: WebDep, on: TodayDep, saved: str | None = None
) -> Response:
    return await show_sections(request, web, SHOES, on, saved)


_NAME = FormField("the pair's name", check=clean_shoe_name)
_KM = "a distance in km"
SHOE_FIELDS: Fields = {
    "name": _NAME,
    "start_km": FormField("the start distance", kind=_KM),
    "inspect_km": FormField("the inspect distance", kind=_KM),
    "retire_km": FormField("the retire distance", kind=_KM),
    "bought_on": FormField("the purchase"),
}
DEFAULT_FIELDS: Fields = {"name": _NAME, "sport": FormField("the sport", check=parse_sport)}
RETIRE_FIELDS: Fields = {"name": _NAME}


@router.post("/shoes", response_class=HTMLResponse)
async def add_shoe_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request,
        web,
        SHOES,
        form="add-shoe",
        model=ShoeIn,
        fields=SHOE_FIELDS,
        save=save_shoe,
        prepare=_decimal_points,
    )


def _decimal_points(raw: FormData, data: dict[str, Any]) -> None:
    """10,5 km as many runners write it."""
    for key in ("start_km", "inspect_km", "retire_km"):
        if key in data:
            data[key] = data[key].replace(",", ".")


@router.post("/shoes/default", response_class=HTMLResponse)
async def default_shoe_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request,
        web,
        SHOES,
        form="pairs",
        model=ShoeDefaultIn,
        fields=DEFAULT_FIELDS,
        save=make_default,
    )


@router.post("/shoes/retire", response_class=HTMLResponse)
async def retire_shoe_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request, web, SHOES, form="pairs", model=ShoeRetireIn, fields=RETIRE_FIELDS, save=retire
    )
