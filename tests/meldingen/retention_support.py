"""Helpers for the retention tests: a dump of every row of the meldingen and Open311 tables (to
search for canary strings), and a check that the retention plan was applied field by field."""

from django.db import connection

from meldingen.retention import Rebuild, plans

TABLE_PREFIXES = ("meldingen_", "open311_", "django_admin_log")


def dump() -> str:
    """Every row of every meldingen and Open311 table and of the admin's log, as JSON text,
    one line per row."""
    tables = [
        name for name in connection.introspection.table_names() if name.startswith(TABLE_PREFIXES)
    ]
    assert "meldingen_melding" in tables and "open311_herkomst" in tables
    lines = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')  # noqa: S608
            lines += [f"{table}: {row}" for (row,) in cursor.fetchall()]
    return "\n".join(lines)


def snapshot() -> dict:
    """Per planned model: every row's field values, and which rows each conditional erasure
    applies to (read before retention, since the erasing changes what the condition sees)."""
    taken = {}
    for plan in plans():
        model = plan.model_class
        names = [f.attname for f in model._meta.concrete_fields]
        rows = {row["id"]: row for row in model.objects.values(*names)}
        only = {
            name: set(model.objects.filter(plan.scope, condition).values_list("pk", flat=True))
            for name, condition in plan.only.items()
        }
        taken[plan.model] = (rows, only)
    return taken


def assert_applied(before: dict, melding_ids: set[int]) -> None:
    """Each row of these meldingen: erased fields hold their erased value, kept fields are
    unchanged; rows of other meldingen are unchanged altogether."""
    after = snapshot()
    for plan in plans():
        model = plan.model_class
        rows_before, only = before[plan.model]
        rows_after, _only = after[plan.model]
        via = plan.via.replace("__", ".")
        erased_pks = set(
            model.objects.filter(plan.scope, **{f"{plan.via}__in": melding_ids}).values_list(
                "pk", flat=True
            )
        ) | {pk for pk in rows_before if pk not in rows_after}
        assert rows_before, f"the test made no {plan.model} row: it proves nothing about it"
        for pk, row in rows_before.items():
            if pk not in erased_pks:
                assert rows_after[pk] == row, (plan.model, pk, via)
                continue
            if plan.delete:
                assert pk not in rows_after, (plan.model, pk)
                continue
            new = rows_after[pk]
            for field in model._meta.concrete_fields:
                name, column = field.name, field.attname
                if field.generated:  # follows the others; test_feed_search checks the search
                    continue
                if name in plan.keep:
                    if name != "anonymised_at":
                        assert new[column] == row[column], (plan.model, pk, name)
                    continue
                value = plan.erase[name]
                if isinstance(value, Rebuild):
                    obj = model.objects.get(pk=pk)
                    assert new[column] == value.compute(obj), (plan.model, pk, name)
                elif name in only and pk not in only[name]:
                    assert new[column] == row[column], (plan.model, pk, name)
                else:
                    assert new[column] == value, (plan.model, pk, name)
