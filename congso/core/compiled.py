"""Hot reads compiled by the ORM once per process; later calls bind new values to the same SQL.

Building and compiling a small ORM query costs several times the CPU of running it: an official's roles
at an agency take ≈1.1 ms through the ORM and ≈0.15 ms as the same SQL run directly (this machine). A
few reads run on every counter receipt, filing and permission check; for those, ``CompiledQuery``:

- builds the query with the ORM once per database connection alias and *shape* (the length of each list
  argument), with sentinel values standing in for the arguments, so the SQL is exactly the ORM's;
- remembers where each argument lands among the SQL parameters (and how the backend adapted it, e.g.
  a date as text on SQLite), and which converters the ORM applies to the columns;
- afterwards only binds the new values, runs the SQL and converts the rows.

Arguments may be ints, strings, dates or lists of those; booleans and other constants belong in the
query itself. The query must select plain columns (``values_list``); ``instances`` builds model objects
with ``Model.from_db`` from rows that select every concrete field (``fields_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_save, pre_save

_EMPTY = object()


MAX_KEY = 2**63 - 1  # a bigint primary key


def key(value) -> int | None:
    """``value`` (an object with a ``pk``, a number or its text) as a positive bigint key, or None: what a
    compiled query may bind for a key. The ORM answers "no rows" for a number beyond the column's range;
    a compiled query would send it and the database would refuse it."""
    try:
        pk = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_KEY else None


def fields_of(model, prefix: str = "") -> list[str]:
    """The attnames of every concrete field of ``model`` (for ``values_list``), optionally through a
    relation prefix such as ``"template__"``."""
    return [prefix + f.attname for f in model._meta.concrete_fields]


def from_row(model, row, related=(), using: str | None = None):
    """An instance of ``model`` from the first columns of ``row`` (``fields_of(model)``), then, for each
    ``(name, related model)`` of ``related``, the object its foreign key ``name`` points to from the next
    columns (``fields_of(related model, name + "__")``); a null key leaves the relation empty."""
    db = using or model.objects.db
    names = fields_of(model)
    obj = model.from_db(db, names, row[: len(names)])
    at = len(names)
    for name, related_model in related:
        related_names = fields_of(related_model)
        if getattr(obj, f"{name}_id") is not None:
            setattr(obj, name, related_model.from_db(db, related_names, row[at : at + len(related_names)]))
        at += len(related_names)
    return obj


class _Slot:
    __slots__ = ("arg", "index", "adapt")

    def __init__(self, arg: int, index: int | None, adapt: Callable | None):
        self.arg, self.index, self.adapt = arg, index, adapt


class CompiledQuery:
    """``CompiledQuery(build)`` where ``build(*args)`` returns a ``values_list`` queryset;
    ``rows(*args)`` returns its rows as tuples, with the ORM's converters applied."""

    def __init__(self, build: Callable, model=None):
        self.build = build
        self.model = model
        self._plans: dict = {}

    # --- planning (once per alias and shape) ------------------------------------------------------

    @staticmethod
    def _sentinel(value, n: int):
        if isinstance(value, bool):
            raise TypeError("CompiledQuery: a boolean cannot be an argument; put it in the query")
        if isinstance(value, int):
            return -(7_654_321_000_000 + n)
        if isinstance(value, dt.datetime):
            raise TypeError("CompiledQuery: datetimes are not supported as arguments")
        if isinstance(value, dt.date):
            return dt.date(1001, 1, 1) + dt.timedelta(days=n)
        if isinstance(value, str):
            return f"\x1fcongso-sentinel-{n}\x1f"
        raise TypeError(f"CompiledQuery: unsupported argument type {type(value).__name__}")

    def _plan(self, connection, args):
        shape = tuple(len(a) if isinstance(a, list | tuple) else None for a in args)
        key = (connection.alias, shape)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        counter = 0
        sentinels, where = [], {}
        for i, value in enumerate(args):
            if isinstance(value, list | tuple):
                items = []
                for j, item in enumerate(value):
                    s = self._sentinel(item, counter)
                    counter += 1
                    items.append(s)
                    where[s] = (i, j)
                sentinels.append(items)
            else:
                s = self._sentinel(value, counter)
                counter += 1
                sentinels.append(s)
                where[s] = (i, None)
        # how the backend may have adapted a sentinel (SQLite binds dates as text)
        adapted = {}
        for s, pos in where.items():
            if isinstance(s, dt.date):
                text = connection.ops.adapt_datefield_value(s)
                if text != s:
                    adapted[text] = (pos, connection.ops.adapt_datefield_value)
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. ``__in`` an empty list: no rows, whatever the values
            self._plans[key] = _EMPTY
            return _EMPTY
        slots = []
        seen = set()
        for p in params:
            try:
                pos, adapt = (where[p], None) if p in where else adapted.get(p, (None, None))
            except TypeError:  # unhashable constant
                pos, adapt = None, None
            if pos is None:
                slots.append(p)  # a constant of the query itself (e.g. LIMIT 1)
            else:
                seen.add(pos)
                slots.append(_Slot(pos[0], pos[1], adapt))
        missing = set(where.values()) - seen
        if missing:
            raise ValueError(f"CompiledQuery: arguments {sorted(missing)} did not reach the SQL")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        plan = (sql, slots, compiler, converters)
        self._plans[key] = plan
        return plan

    # --- running ----------------------------------------------------------------------------------

    def rows(self, *args, using: str | None = None) -> list[tuple]:
        alias = using or (router.db_for_read(self.model) if self.model else "default")
        connection = connections[alias]
        plan = self._plan(connection, args)
        if plan is _EMPTY:
            return []
        sql, slots, compiler, converters = plan
        params = []
        for slot in slots:
            if not isinstance(slot, _Slot):
                params.append(slot)
                continue
            value = args[slot.arg] if slot.index is None else args[slot.arg][slot.index]
            params.append(slot.adapt(value) if slot.adapt else value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows

    def instances(self, *args, using: str | None = None) -> list:
        """Model instances of ``self.model`` from rows selecting ``fields_of(model)`` first."""
        model = self.model
        db = using or router.db_for_read(model)
        names = fields_of(model)
        n = len(names)
        return [model.from_db(db, names, row[:n]) for row in self.rows(*args, using=db)]


# --- inserts ------------------------------------------------------------------------------------
#
# ``insert(objs)`` writes unsaved instances of one model in one INSERT whose SQL is built once per
# database alias, model and row count. The ORM's own ``save(force_insert=True)`` and ``bulk_create``
# rebuild and recompile the statement on every call, which cost more CPU than preparing the values on
# the hot writes of a receipt or a filing (its dossier, timeline, files, audit entries, notices).
# Values go through each field's ``pre_save`` and ``get_db_prep_save`` as with the ORM, so what is
# stored is the same, and ``pre_save``/``post_save`` are sent as ``save()`` sends them (a library's
# receiver may fill a column, as django-tasks-db's does for ``run_after``). A model that overrides
# ``save()`` is refused: its override (a derived column, a path, a cascade) would be skipped.


class _InsertPlan:
    __slots__ = ("sql", "fields", "hooked", "returning")

    def __init__(self, sql, fields, hooked, returning):
        self.sql, self.fields, self.hooked, self.returning = sql, fields, hooked, returning


_INSERT_PLANS: dict = {}


MAX_INSERT_ROWS = 50  # a plan per row count: larger batches are the ORM's (bulk_create batches them)


def _insert_plan(connection, model, rows: int, with_pk: bool) -> _InsertPlan | None:
    if rows > MAX_INSERT_ROWS:
        return None
    key = (connection.alias, model, rows, with_pk)
    plan = _INSERT_PLANS.get(key)
    if plan is not None:
        return plan
    opts = model._meta
    if opts.parents:  # multi-table inheritance writes several tables: the ORM's job
        return None
    fields = [
        f
        for f in opts.local_concrete_fields
        if not getattr(f, "generated", False) and (with_pk or f is not opts.pk)
    ]
    if any(hasattr(f, "get_placeholder") or f.db_default is not NOT_PROVIDED for f in fields):
        return None  # fields with their own SQL placeholder or database defaults: the ORM's job
    if not with_pk and not connection.features.can_return_rows_from_bulk_insert:
        return None
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # names come from the model's metadata, quoted; every value is a parameter
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES " + ", ".join([one] * rows)  # noqa: S608
    returning = None
    if not with_pk:
        returning = opts.pk
        sql += f" RETURNING {quote(opts.db_table)}.{quote(opts.pk.column)}"
    hooked = frozenset(f for f in fields if type(f).pre_save is not Field.pre_save)  # auto_now, files
    plan = _INSERT_PLANS[key] = _InsertPlan(sql, fields, hooked, returning)
    return plan


def check_insertable(model) -> None:
    """Raise TypeError if ``model`` overrides ``save()``: a compiled insert (or its ``bulk_create``
    fallback) would not run the override."""
    if model.save is not Model.save:
        raise TypeError(
            f"compiled.insert: {model._meta.label} overrides save() ({model.save.__qualname__}), which a "
            "compiled insert would skip; write its rows with save() or move that logic out of save()"
        )


def insert(objs: list, using: str | None = None) -> list:
    """INSERT unsaved instances of one model (all with their primary key set, or none) in one statement;
    sets the primary keys the database returns. Falls back to the ORM for what it does not cover.
    A model that overrides ``save()`` is refused (``check_insertable``)."""
    if not objs:
        return objs
    model = type(objs[0])
    check_insertable(model)
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    with_pk = objs[0].pk is not None
    if any(type(o) is not model or (o.pk is not None) != with_pk for o in objs):
        raise ValueError("compiled.insert: objects of one model, all with or all without a primary key")
    plan = _insert_plan(connection, model, len(objs), with_pk)
    if plan is not None and any(
        hasattr(getattr(obj, f.attname), "resolve_expression") for obj in objs for f in plan.fields
    ):
        plan = None  # an expression as a value: the ORM compiles it
    if plan is None:
        if len(objs) == 1:
            objs[0].save(force_insert=True, using=alias)
        else:
            model._base_manager.using(alias).bulk_create(objs)
        return objs
    if pre_save.has_listeners(model):
        for obj in objs:
            pre_save.send(sender=model, instance=obj, raw=False, using=alias, update_fields=None)
    params = []
    hooked = plan.hooked
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        for f in plan.fields:
            value = f.pre_save(obj, True) if f in hooked else getattr(obj, f.attname)
            params.append(f.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        if plan.returning is not None:
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, plan.returning.attname, pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    if post_save.has_listeners(model):
        for obj in objs:
            post_save.send(
                sender=model, instance=obj, created=True, update_fields=None, raw=False, using=alias
            )
    return objs
