"""The columns of a program file — the import template and the program export alike: the
employer's rows of registry/columns.py meant for program files, then the program's rows of
sheets/programs/columns.py. One list, so that an exported file imports back."""

from registry.columns import EMPLOYER_FIELDS, Field
from sheets.programs.columns import program_fields


def employer_file_fields() -> tuple[Field, ...]:
    """An employer file (the employer list's export; employer-only imports)."""
    return EMPLOYER_FIELDS


def program_file_fields() -> tuple[Field, ...]:
    return tuple(f for f in EMPLOYER_FIELDS if f.in_program_file) + program_fields()


def import_fields() -> tuple[Field, ...]:
    """Every column an import reads: the program file's, and the employer-only columns."""
    fields = program_file_fields()
    employer_only = tuple(f for f in EMPLOYER_FIELDS if not f.in_program_file)
    position = next(i for i, f in enumerate(fields) if f.target != "employer")
    return tuple(f for f in fields[:position] + employer_only + fields[position:] if f.imported)
