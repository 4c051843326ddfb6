from tenants.queries import stores_of


def stores(request):
    """The store switcher: the signed-in user's stores and the current one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_stores": stores_of(user), "current_store": getattr(request, "store", None)}
