"""The fake shop's code discounts: ``discountCodeBasicCreate``, answered as Shopify does.

Refusals come back the way Shopify gives them: ``userErrors`` with ``field``/``code``/``message`` for a code
already used in the shop (codes are unique case-insensitively), a blank or over-long code, a percentage
outside 0..1, an end before the start; and, for an app without the ``write_discounts`` scope, a top-level
``ACCESS_DENIED`` error with ``data`` null for the field.
"""

from datetime import datetime

from graphql import GraphQLError

from tests.fakes.shopify.schema import gid

ACCESS_DENIED = (
    "Access denied for discountCodeBasicCreate field. Required access: `write_discounts` access scope. "
    "Also: User must have `manage_discounts` permission."
)


class Discounts:
    def __init__(self, shop):
        self.shop = shop
        self.rows: list[dict] = []
        self.scope_granted = True  # False: the app was installed without write_discounts

    def codes(self) -> set[str]:
        return {row["code"].casefold() for row in self.rows}

    def create(self, basicCodeDiscount: dict) -> dict:
        if not self.scope_granted:
            raise GraphQLError(ACCESS_DENIED, extensions={"code": "ACCESS_DENIED",
                                                          "requiredAccess": "`write_discounts` access scope."})  # fmt: skip
        data = basicCodeDiscount
        errors = self._errors(data)
        if errors:
            return {"codeDiscountNode": None, "userErrors": errors}
        n = self.shop.next_number()
        row = {"_n": n, "id": gid("DiscountCodeNode", n), "code": data["code"], "title": data["title"],
               "percentage": data["customerGets"]["value"]["percentage"], "startsAt": data["startsAt"],
               "endsAt": data.get("endsAt"), "usageLimit": data.get("usageLimit"),
               "appliesOncePerCustomer": bool(data.get("appliesOncePerCustomer"))}  # fmt: skip
        self.rows.append(row)
        return {"codeDiscountNode": self._view(row), "userErrors": []}

    def _errors(self, data: dict) -> list[dict]:
        code = (data.get("code") or "").strip()
        errors = []
        if not code:
            errors.append(_error("code", "BLANK", "Code can't be blank"))
        elif len(code) > 255:
            errors.append(_error("code", "TOO_LONG", "Code is too long (maximum is 255 characters)"))
        elif code.casefold() in self.codes():
            errors.append(_error("code", "TAKEN", "Code must be unique. Please try a different code."))
        if not (data.get("title") or "").strip():
            errors.append(_error("title", "BLANK", "Title can't be blank"))
        value = ((data.get("customerGets") or {}).get("value")) or {}
        percentage = value.get("percentage")
        if percentage is not None and not 0 < percentage <= 1:
            errors.append(_error("customerGets.value.percentage", "VALUE_OUTSIDE_RANGE",
                                 "Value must be greater than 0 and less than or equal to 1"))  # fmt: skip
        if not data.get("startsAt"):
            errors.append(_error("startsAt", "BLANK", "Starts at can't be blank"))
        elif data.get("endsAt") and _moment(data["endsAt"]) <= _moment(data["startsAt"]):
            errors.append(_error("endsAt", "INVALID", "Ends at needs to be after starts_at"))
        return errors

    def _view(self, row: dict) -> dict:
        redeem = [{"id": gid("DiscountRedeemCode", row["_n"]), "code": row["code"], "asyncUsageCount": 0}]
        return {
            "id": row["id"],
            "codeDiscount": {
                "__typename": "DiscountCodeBasic", "title": row["title"], "status": "ACTIVE",
                "codes": lambda info, **a: self.shop.connection("DiscountRedeemCode", a, redeem),
            },
        }  # fmt: skip

    def resolvers(self) -> dict:
        return {"discountCodeBasicCreate": lambda info, **a: self.create(**a)}


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _error(field: str, code: str, message: str) -> dict:
    return {"field": ["basicCodeDiscount", *field.split(".")], "code": code, "message": message}
