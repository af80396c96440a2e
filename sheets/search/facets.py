"""The choices of the search's data facets (prefectures, regions, industries of the programs a
user may see), kept in the cache per visibility scope.

Why: reading them is one DISTINCT over every visible program with the visibility joins — the
search page's largest query (≈ 10 ms of ≈ 70 at 100,000 programs, docs/performance-history.md section 4) — and
they change only when programs, employers, agencies or regions do.

Freshness: every save or delete of those models moves a generation number that is part of the
key, so the next search reads them again. Writes that bypass `save()` (bulk imports call
`changed()` themselves) and other app servers' local-memory caches are bounded by
FACET_CACHE_SECONDS. The cached facts are only ever served to the same scope
(`sheets.access.visibility_scope`: the acting agency, whose own drafts are in them, or the
platform admins)."""

import hashlib
import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

FACET_CACHE_SECONDS = 5 * 60
GENERATION_KEY = "search-facets:generation"


def changed(**_signal) -> None:
    """Something the facets name changed: later searches read them again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value retires the old keys
        cache.set(GENERATION_KEY, _fresh_generation(), None)


def _fresh_generation() -> int:
    return time.time_ns()  # larger than any number an older process could have counted to


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, _fresh_generation, None)


def facts_for(scope: str, read) -> set[tuple]:
    """The facet facts of `scope`: from the cache, or `read()` (the query) and kept."""
    key = f"search-facets:{scope}:{_generation()}"
    facts = cache.get(key)
    if facts is None:
        facts = read()
        cache.set(key, facts, FACET_CACHE_SECONDS)
    return facts


def connect() -> None:
    from registry.models import Agency, Employer, Prefecture, Region
    from sheets.programs.models import Program

    for model in (Program, Employer, Agency, Region, Prefecture):
        post_save.connect(changed, sender=model, dispatch_uid=f"search-facets-save-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"search-facets-delete-{model.__name__}")


def counts_for(scope: str, search_key: str, read) -> dict:
    """The facet counts of one search (`search_key`: its filters, not its page or order) for
    `scope`: from the cache, or `read()` (one query of some ninety filtered counts, whose
    compiling is most of its cost) and kept — paging, sorting and htmx updates of the same
    search cost nothing. Freed by the same generation as the facts (any save of what they count)."""
    digest = hashlib.sha256(search_key.encode()).hexdigest()[:32]
    key = f"search-facet-counts:{scope}:{_generation()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = read()
        cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts
