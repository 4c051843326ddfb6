"""One fake WooCommerce site's data, built from the REST API docs' example answers (``examples/``)."""

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXAMPLES = Path(__file__).parent / "examples"
STATUSES = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"]


def example(name: str) -> list[dict]:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class SiteData:
    """Rows keyed by id, as WooCommerce would list them; helpers add rows shaped like the examples."""

    def __init__(self):
        self.products: dict[int, dict] = {}
        self.variations: dict[int, list[dict]] = {}
        self.categories: dict[int, dict] = {c["id"]: c for c in example("product-categories__03_list_all_product_categories")}
        self.customers: dict[int, dict] = {}
        self.orders: dict[int, dict] = {}
        self.coupons: dict[int, dict] = {}
        self.next_id = 1000
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def tick(self) -> datetime:
        self.clock += timedelta(seconds=5)
        return self.clock

    def add_product(self, name: str, *, variable: bool = False, price: str = "10.00", categories=(9,)) -> dict:
        base = copy.deepcopy(example("products__04_list_all_products")[0 if variable else 1])
        pid, now = self._id(), gmt(self.tick())
        base.update(id=pid, name=name, slug=name.lower().replace(" ", "-"), type="variable" if variable else "simple",
                    date_modified_gmt=now, date_created_gmt=now, price="" if variable else price,
                    regular_price="" if variable else price,
                    categories=[{"id": c, "name": self.categories[c]["name"], "slug": self.categories[c]["slug"]}
                                for c in categories])  # fmt: skip
        self.products[pid] = base
        if variable:
            self.variations[pid] = []
            for colour in ("Black", "Green"):
                v = copy.deepcopy(example("product-variations__03_list_all_product_variations")[0])
                v.update(id=self._id(), price=price, regular_price=price, date_modified_gmt=now,
                         attributes=[{"id": 6, "name": "Color", "option": colour}])  # fmt: skip
                self.variations[pid].append(v)
        return base

    def touch_product(self, pid: int, **fields) -> dict:
        self.products[pid].update(fields, date_modified_gmt=gmt(self.tick()))
        return self.products[pid]

    def add_customer(self, email: str, first: str = "Ana", last: str = "Lopes") -> dict:
        row = copy.deepcopy(example("customers__03_list_all_customers")[0])
        cid, now = self._id(), gmt(self.tick())
        row.update(id=cid, email=email, first_name=first, last_name=last, date_created_gmt=now, date_modified_gmt=now)
        row["billing"].update(email=email, first_name=first, last_name=last)
        self.customers[cid] = row
        return row

    def add_order(self, *, status: str = "processing", customer: dict | None = None, product: dict | None = None) -> dict:
        row = copy.deepcopy(example("orders__03_list_all_orders")[0])
        oid, now = self._id(), gmt(self.tick())
        row.update(id=oid, number=str(oid), status=status, date_created_gmt=now, date_modified_gmt=now,
                   customer_id=customer["id"] if customer else 0)  # fmt: skip
        if customer:
            row["billing"]["email"] = customer["email"]
        for item in row["line_items"]:
            item["id"] = self._id()
            if product:
                item.update(product_id=product["id"], variation_id=0, name=product["name"])
        self.orders[oid] = row
        return row

    def create_coupon(self, data: dict) -> tuple[int, dict]:
        """POST coupons as WooCommerce answers it: codes are stored lower-cased and must be unique."""
        code = str(data.get("code") or "").strip().lower()
        if not code:
            return 400, {"code": "rest_missing_callback_param", "message": "Missing parameter(s): code",
                         "data": {"status": 400, "params": ["code"]}}  # fmt: skip
        if any(c["code"] == code for c in self.coupons.values()):
            return 400, {"code": "woocommerce_rest_coupon_code_already_exists",
                         "message": "The coupon code already exists", "data": {"status": 400}}  # fmt: skip
        if data.get("discount_type", "fixed_cart") not in ("percent", "fixed_cart", "fixed_product"):
            return 400, {"code": "rest_invalid_param", "message": "Invalid parameter(s): discount_type",
                         "data": {"status": 400}}  # fmt: skip
        cid, now = self._id(), gmt(self.tick())
        coupon = {
            "id": cid, "code": code, "amount": f"{float(data.get('amount') or 0):.2f}", "status": "publish",
            "date_created_gmt": now, "date_modified_gmt": now, "discount_type": data.get("discount_type", "fixed_cart"),
            "description": data.get("description", ""), "date_expires_gmt": data.get("date_expires_gmt"),
            "usage_count": 0, "individual_use": bool(data.get("individual_use")),
            "usage_limit": data.get("usage_limit"), "usage_limit_per_user": data.get("usage_limit_per_user"),
        }  # fmt: skip
        self.coupons[cid] = coupon
        return 201, coupon
