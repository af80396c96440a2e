"""Programs whose search fields are filled, as the services leave them (the plain
ProgramFactory saves directly and skips sheets/search.py)."""

import factory

from sheets.programs.search_fields import refresh_search_fields
from tests.sheets.factories import ProgramFactory


class SearchableProgramFactory(ProgramFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def rows(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.source_rows.set(extracted)

    @factory.post_generation
    def searchable(obj, create, extracted, **kwargs):
        if create:
            refresh_search_fields(obj)
            obj.refresh_from_db()
