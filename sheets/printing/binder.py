"""The print binder: the 印刷リスト as one PDF — a cover page listing the programs (with the page
each starts on), then the chosen sheets of each.

A binder of up to BINDER_BACKGROUND_THRESHOLD sheets is made in the request, as it always
was. A bigger one (seconds of WeasyPrint: ≈ 0.2 s a sheet) is made by the task worker as a job
(jobs/): the page shows its progress and offers the PDF when it is ready. The worker selects
the programs again through `for_user` as the requester, so a program unpublished or withdrawn
from them meanwhile drops out exactly as it would in the request."""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, JobError, JobKind
from jobs.services import JobOutput, JobRefused, job_start, run_job
from registry.models import acting_membership
from sheets.printing import pdf
from sheets.printing import sheets as printing
from sheets.printing.print_list import Entry, entries_for


def sheet_count(entries: list[Entry]) -> int:
    return sum(len(entry.kinds) for entry in entries)


def in_background(entries: list[Entry]) -> bool:
    return sheet_count(entries) > settings.BINDER_BACKGROUND_THRESHOLD


def filename() -> str:
    return f"{printing.BINDER_KIND.title}_{timezone.localdate():%Y%m%d}.pdf"


def printed_kinds(entries: list[Entry]) -> list[list[str]]:
    """The sheets each entry prints in the binder: ① once per employer (where its first program
    comes), since ① is the same for every program of that employer."""
    seen: set[int] = set()
    result = []
    for entry in entries:
        employer_id = entry.program.employer_id
        result.append([k for k in entry.kinds if k != "employer" or employer_id not in seen])
        if "employer" in entry.kinds:
            seen.add(employer_id)
    return result


def build(user, entries: list[Entry], *, progress=None) -> bytes:
    """The binder's PDF bytes; `progress(n)` is told after each sheet is laid out (a ① left
    out as printed already counts as done)."""
    documents, rows, done = [], [], 0
    for entry, kinds in zip(entries, printed_kinds(entries), strict=True):
        offset = sum(len(d.pages) for d in documents)
        rows.append(
            {
                "program": entry.program,
                "kinds": [printing.SHEET_KINDS[k] for k in kinds],
                "offset": offset,
                "employer_before": "employer" in entry.kinds and "employer" not in kinds,
            }
        )
        done += len(entry.kinds) - len(kinds)
        for kind in kinds:
            # ③ right after ② of the same program does not print ②'s part again.
            after_client = kind == "supporter" and "client" in kinds
            context = printing.program_context(entry.program, kind, user=user, after_client=after_client)
            document, _density = printing.fit_document(kind, context, printing.SHEET_KINDS[kind].page_budget)
            documents.append(document)
            done += 1
            if progress is not None:
                progress(done)
    cover = _cover(user, rows, cover_pages=1)
    if len(cover.pages) > 1:  # a long list: the sheets start later, so renumber once
        cover = _cover(user, rows, cover_pages=len(cover.pages))
    return pdf.combine([cover, *documents])


def _cover(user, rows: list[dict], *, cover_pages: int):
    membership = acting_membership(user)
    for row in rows:
        row["page"] = cover_pages + row["offset"] + 1
    html = printing.render_sheet_html(
        "binder_cover",
        {
            "sheet": printing.BINDER_KIND,
            "rows": rows,
            "printed_on": timezone.localdate(),
            "owner": membership.agency if membership else None,
            "region": membership.agency.region if membership else None,
            "document_title": str(printing.BINDER_KIND.title),
        },
    )
    return pdf.layout(html)


# --- In the background ------------------------------------------------------------------------


def start_job(*, by, entries: list[Entry]) -> Job:
    """Queue the binder of these entries (checked by the view through the print list)."""
    return job_start(
        kind=JobKind.BINDER,
        by=by,
        task=make_binder,
        params={"items": [[str(e.program.uuid), list(e.kinds)] for e in entries]},
        total=sheet_count(entries) + 1,  # every sheet, then the cover and the assembled file
        return_url=reverse("print_list"),
    )


@task()
def make_binder(job_uuid: str) -> str:
    return run_job(job_uuid, _make_binder)


def _make_binder(job: Job, user, progress) -> JobOutput:
    entries = [e for e in entries_for(user, dict(job.params["items"])) if e.kinds]
    if not entries:
        raise JobRefused(JobError.NOTHING_LEFT)
    progress(0, sheet_count(entries) + 1)
    return JobOutput(build(user, entries, progress=progress), filename())
