import json

import pytest
from django.test import override_settings

from shop.models import Order
from shop.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return Product.objects.create(sku="MUG-1", name="Mug", price_cents=1200)


def post_order(client, body, address="203.0.113.7"):
    return client.post("/api/orders/", json.dumps(body), content_type="application/json", REMOTE_ADDR=address)


def test_an_order_is_stored(client, product):
    response = post_order(client, {"sku": "MUG-1", "email": "ada@example.com", "quantity": 2})
    assert response.status_code == 201
    assert Order.objects.get(pk=response.json()["id"]).quantity == 2


def test_an_unknown_product_is_refused(client, product):
    assert post_order(client, {"sku": "NOPE", "email": "ada@example.com"}).status_code == 400


@override_settings(ORDER_LIMIT=2)
def test_a_client_placing_too_many_orders_is_throttled(client, product):
    address = "198.51.100.23"
    codes = [post_order(client, {"sku": "MUG-1", "email": "ada@example.com"}, address).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_ping_says_the_database_and_cache_answer(client):
    response = client.get("/ops/ping/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
